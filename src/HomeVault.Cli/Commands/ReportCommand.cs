using System.CommandLine;
using System.Text;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Disclosure.Reports;

namespace HomeVault.Cli.Commands;

/// <summary>
/// `homevault report`: the transparency report over access requests, ending with the signed checkpoint it was read
/// against. Generating it is audited (report.generated, with the SHA-256 of the exact output), after that checkpoint.
/// </summary>
internal static class ReportCommand
{
    private static readonly string[] Formats = ["md", "json", "html"];

    public static Command Build()
    {
        var from = new Option<string?>("--from") { Description = "Count requests received at or after this time (RFC 3339 or YYYY-MM-DD; default: since the beginning)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "Count requests received before this time (default: now)", HelpName = "T" };
        var format = new Option<string>("--format") { Description = "md (Markdown), json (stable, documented) or html (self-contained page with a chart)", Required = true, HelpName = "md|json|html" };
        // A validator rather than AcceptOnlyFromAmong, whose message spans several lines.
        format.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } v && !Formats.Contains(v, StringComparer.Ordinal))
            {
                r.AddError($"--format: '{TerminalText.Safe(v)}' is not one of md, json, html");
            }
        });
        var output = new Option<string>("--output", "-o") { Description = "Write the report to FILE (all or nothing) instead of standard output", HelpName = "FILE", DefaultValueFactory = _ => "-" };
        var command = new Command("report", "Transparency report: requests by legal basis and requester, outcomes, footage disclosed, time to decision, and the signed checkpoint it was computed from")
        {
            from, to, format, output,
        };
        command.SetAction(result =>
        {
            var start = TimeArgument.ParseOptional(result.GetValue(from), "--from");
            var end = TimeArgument.ParseOptional(result.GetValue(to), "--to") ?? TimeProvider.System.GetUtcNow();
            if (start >= end)
            {
                throw new UserError(result.GetValue(to) is null ? "--from must be before now (the default --to)" : "--from must be before --to");
            }
            var kind = result.GetValue(format)!;
            var path = result.GetValue(output)!;
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var report = Generate(vault, start, end, kind, path);
            if (path != "-")
            {
                Console.Error.WriteLine($"report: {report.RequestsReceived} requests, checkpoint at {report.Checkpoint.Size} entries, written to {path}");
            }
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>
    /// Computes the report, renders it as <paramref name="kind"/> (md, json, html) to <paramref name="path"/> ("-" for
    /// standard output) and records report.generated, all in one immediate transaction: the figures, the checkpoint
    /// and the leaf agree, and a failed write rolls the leaf back (no entry for a report nobody received).
    /// </summary>
    public static TransparencyReport Generate(Installation vault, DateTimeOffset? from, DateTimeOffset to, string kind, string path)
    {
        using var work = vault.Catalog.Write();
        var report = TransparencyReport.Compute(work, from, to);
        var bytes = kind switch
        {
            "json" => report.ToJson(),
            "html" => Encoding.UTF8.GetBytes(report.ToHtml()),
            _ => Encoding.UTF8.GetBytes(report.ToMarkdown()),
        };
        work.Append(report.GeneratedEvent("cli", kind, bytes));
        OutputFile.Write(path, stream => stream.Write(bytes));
        work.Commit();
        return report;
    }
}
