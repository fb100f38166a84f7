using System.Text.RegularExpressions;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

/// <summary>
/// Every action the service writes is a constant in <see cref="AuditActions"/> (verification and the report list
/// them): a source file that passes a string literal as an audit event's action fails here.
/// </summary>
public sealed partial class AuditActionLiteralTests
{
    [Fact]
    public void No_audit_event_in_src_is_written_with_a_literal_action()
    {
        var src = Path.Combine(TestEnv.RepoRoot, "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "AuditActions.cs")
            .ToList();
        Assert.NotEmpty(files);
        var calls = 0;
        var offenders = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var (action, targetTyped) in ActionArguments(text))
            {
                calls++;
                if (IsLiteral(action) && (!targetTyped || ActionShaped().IsMatch(action)))
                {
                    offenders.Add($"{Path.GetRelativePath(TestEnv.RepoRoot, file)}: {action}");
                }
            }
        }
        Assert.Empty(offenders);
        // The scan sees the service's audit writes (about twenty), so an empty offender list means something.
        Assert.True(calls >= 15, $"only {calls} audit event constructions found in src");
    }

    [Fact]
    public void The_scan_finds_a_literal_action()
    {
        const string sample = """
            audit.Append(new AuditEvent(session.Owner, "clip.viewed", c.Path, new Dictionary<string, string> { ["via"] = "console" }));
            catalog.Use((db, audit) => audit.Append(new AuditEvent("console", "vault.unlock_failed", "owner/" + owner, null)));
            AuditEvent Made(string a) => new(F(a, "x"), "owner.removed", "owner/" + a);
            var fine = new AuditEvent(Name(x, y), AuditActions.Gap, "camera/" + c);
            """;
        var found = ActionArguments(sample).ToList();
        Assert.Equal(["\"clip.viewed\"", "\"vault.unlock_failed\"", "\"owner.removed\"", "AuditActions.Gap"], found.Select(f => f.Action));
        Assert.Equal([false, false, true, false], found.Select(f => f.TargetTyped));
    }

    private static bool IsLiteral(string argument) => argument.StartsWith('"') || argument.StartsWith("$\"", StringComparison.Ordinal) || argument.StartsWith('@');

    /// <summary>
    /// The second argument of each <c>new AuditEvent(...)</c>, and of each target-typed <c>new(...)</c> in a file that
    /// mentions AuditEvent (flagged, since those may build other types).
    /// </summary>
    private static IEnumerable<(string Action, bool TargetTyped)> ActionArguments(string text)
    {
        var mentions = text.Contains("AuditEvent", StringComparison.Ordinal);
        foreach (Match m in Construction().Matches(text))
        {
            var targetTyped = !m.Value.Contains("AuditEvent", StringComparison.Ordinal);
            if (targetTyped && !mentions)
            {
                continue;
            }
            var args = Arguments(text, m.Index + m.Length);
            if (args.Count >= 2)
            {
                yield return (args[1], targetTyped);
            }
        }
    }

    /// <summary>The top-level arguments of a call whose '(' is just before <paramref name="start"/>.</summary>
    private static List<string> Arguments(string text, int start)
    {
        var args = new List<string>();
        var depth = 0;
        var begin = start;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                // Skip a regular string literal (escapes included); enough for how src writes audit events.
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }
                }
                continue;
            }
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    args.Add(text[begin..i].Trim());
                    return args;
                }
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                args.Add(text[begin..i].Trim());
                begin = i + 1;
            }
        }
        return args;
    }

    [GeneratedRegex(@"\bnew\s*(AuditEvent\s*)?\(")]
    private static partial Regex Construction();

    [GeneratedRegex("^\"[a-z0-9_]+(\\.[a-z0-9_]+)+\"$")]
    private static partial Regex ActionShaped();
}
