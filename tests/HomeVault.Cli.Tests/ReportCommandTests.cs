using System.Security.Cryptography;
using System.Text.Json;
using HomeVault.Core.Audit;
using HomeVault.Tests;

using static HomeVault.Cli.Tests.RequestFixture;

namespace HomeVault.Cli.Tests;

public sealed class ReportCommandTests
{
    private const string Hostile = "<script>alert(1)</script> Agency";

    [Fact]
    public void Report_counts_outcomes_ends_with_a_verifiable_checkpoint_and_is_audited()
    {
        var (dir, data, pass) = Setup();
        var approved = Submit(dir, data);
        var a = Homevault.Run("requests", "approve", approved, "--data", data, "--cameras", "front", "--strip-audio", "--passphrase-file", pass);
        Assert.True(a.Exit == 0, a.Stderr);
        var hostile = Request();
        hostile["requester"]!["organization"] = Hostile;
        var denied = Submit(dir, data, hostile);
        var d = Homevault.Run("requests", "deny", denied, "--data", data, "--reason", "overbroad", "--passphrase-file", pass);
        Assert.True(d.Exit == 0, d.Stderr);
        Submit(dir, data);

        var r = Homevault.Run("report", "--data", data, "--format", "json");

        Assert.True(r.Exit == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.StdoutBytes);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("requestsReceived").GetInt32());
        var outcomes = root.GetProperty("byOutcome").EnumerateArray()
            .ToDictionary(o => o.GetProperty("outcome").GetString()!, o => o.GetProperty("requests").GetInt32());
        // Approving with the quorum met builds the release at once (here of a window with no footage recorded).
        Assert.Equal(1, outcomes["released-narrowed"]);
        Assert.Equal(1, outcomes["denied"]);
        Assert.Equal(1, outcomes["pending"]);
        var released = root.GetProperty("disclosure").GetProperty("released");
        Assert.Equal(120, released.GetProperty("scopeCameraMinutes").GetDouble());
        Assert.Equal(0, released.GetProperty("releasedClips").GetInt32());
        Assert.Equal(0, released.GetProperty("clipMinutes").GetDouble());
        Assert.Equal(1, released.GetProperty("clipMinutesKnownFor").GetInt32());
        Assert.Contains(root.GetProperty("byOrganization").EnumerateArray(), o => o.GetProperty("organization").GetString() == Hostile);

        // The checkpoint verifies with the installation's log key and covers the whole log as it was.
        var cp = root.GetProperty("checkpoint");
        var key = Homevault.Run("audit", "key", "--data", data).Stdout.Trim();
        Assert.Equal(key, cp.GetProperty("logKey").GetString());
        var note = cp.GetProperty("note").GetString()!;
        var opened = SignedCheckpoint.TryOpen(note, NoteVerifier.Parse(key), null, out var error);
        Assert.True(opened is not null, error);
        var entries = AuditEntries(data);
        // Generating it appended exactly one entry, after the checkpoint, naming the exact bytes printed.
        Assert.Equal(entries.Count - 1, opened.Size);
        var last = entries[^1];
        Assert.Equal("report.generated", last.GetProperty("action").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(r.StdoutBytes)), last.GetProperty("details").GetProperty("sha256").GetString());
        var kept = Path.Combine(dir, "report-checkpoint.txt");
        File.WriteAllText(kept, note);
        var consistent = Homevault.Run("audit", "consistency", kept, "--data", data);
        Assert.True(consistent.Exit == 0, consistent.Stderr);

        var html = Path.Combine(dir, "report.html");
        var h = Homevault.Run("report", "--data", data, "--format", "html", "-o", html);
        Assert.True(h.Exit == 0, h.Stderr);
        Assert.Equal("", h.Stdout);
        var page = File.ReadAllText(html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Agency", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        var md = Homevault.Run("report", "--data", data, "--format", "md", "--from", Date(-1));
        Assert.True(md.Exit == 0, md.Stderr);
        Assert.Contains("## Requests received: 3\n", md.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("```\n", md.Stdout, StringComparison.Ordinal);
        AssertAuditVerifies(data);
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData(2, "--format: 'xml' is not one of md, json, html", "--format", "xml")]
    [InlineData(1, "--from must be before --to", "--format", "md", "--from", "2026-11-20", "--to", "2026-11-20")]
    [InlineData(1, "--to: 'yesterday' is not a time", "--format", "md", "--to", "yesterday")]
    [InlineData(2, "Option '--format' is required", "--from", "2026-11-20")]
    public void Bad_arguments_fail_in_one_line_and_log_nothing(int exit, string message, params string[] args)
    {
        var (dir, data, _) = Setup();
        var before = AuditEntries(data).Count;

        var r = Homevault.Run(["report", "--data", data, .. args]);

        Assert.Equal(exit, r.Exit);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.Equal(before, AuditEntries(data).Count);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void An_existing_output_file_is_refused_and_the_refusal_is_not_audited()
    {
        var (dir, data, _) = Setup();
        var path = Path.Combine(dir, "taken.md");
        File.WriteAllText(path, "keep me");
        var before = AuditEntries(data).Count;

        var r = Homevault.Run("report", "--data", data, "--format", "md", "-o", path);

        Assert.Equal(1, r.Exit);
        Assert.Contains("already exists", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.Equal(before, AuditEntries(data).Count);
        Directory.Delete(dir, recursive: true);
    }
}
