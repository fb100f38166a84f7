using System.Text.Json;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

public sealed class AuditCommandTests
{
    private static void Sqlite(string db, string sql)
    {
        var r = TestEnv.Run(TestEnv.Tool("sqlite3"), [db, sql]);
        Assert.True(r.Exit == 0, r.Stderr);
    }

    [Fact]
    public void Owner_changes_are_logged_checkpointed_and_verifiable()
    {
        var (dir, data, pass) = Homevault.Init();
        var kept = Path.Combine(dir, "kept.checkpoint");
        var cp = Homevault.Run("audit", "checkpoint", "--data", data);
        Assert.Equal(0, cp.Exit);
        File.WriteAllText(kept, cp.Stdout);
        Assert.Equal(Homevault.Run("audit", "key", "--data", data).Stdout.Trim(), File.ReadAllText(Path.Combine(data, "keys", "audit-checkpoint.pub")).Trim());

        File.WriteAllText(Path.Combine(dir, "bob"), "bob's own long passphrase\n");
        Assert.Equal(0, Homevault.Run("owners", "add", "bob", "--data", data, "--passphrase-file", Path.Combine(dir, "bob")).Exit);
        Assert.Equal(0, Homevault.Run("keys", "export-identity", "--owner", "alice", "--data", data, "--passphrase-file", pass).Exit);

        var log = Homevault.Run("audit", "log", "--json", "--data", data);
        Assert.Equal(0, log.Exit);
        var entries = JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["owner.added", "owner.added", "key.identity_exported"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([0, 1, 2], entries.Select(e => e.GetProperty("index").GetInt64()));
        Assert.All(entries, e => Assert.Equal(64, e.GetProperty("leafHash").GetString()!.Length));
        Assert.DoesNotContain("AGE-SECRET-KEY", log.Stdout, StringComparison.Ordinal);

        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
        Assert.StartsWith("audit log OK: 3 entries", verify.Stdout, StringComparison.Ordinal);

        var consistency = Homevault.Run("audit", "consistency", kept, "--data", data);
        Assert.True(consistency.Exit == 0, consistency.Stderr);
        Assert.Contains("old 1", consistency.Stdout, StringComparison.Ordinal);

        var prove = Homevault.Run("audit", "prove", "1", "--data", data);
        Assert.Equal(0, prove.Exit);
        Assert.StartsWith("c2sp.org/tlog-proof@v1\nindex 1\n", prove.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Homevault.Run("audit", "prove", "7", "--data", data).Exit);
    }

    [Fact]
    public void Hand_edited_entry_is_detected_with_its_index()
    {
        var (dir, data, _) = Homevault.Init();
        File.WriteAllText(Path.Combine(dir, "bob"), "bob's own long passphrase\n");
        Assert.Equal(0, Homevault.Run("owners", "add", "bob", "--data", data, "--passphrase-file", Path.Combine(dir, "bob")).Exit);
        var db = Path.Combine(data, "catalog.db");
        // An attacker with the database: drop the append-only trigger and swap bob's key.
        Sqlite(db, "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET entry = replace(entry, 'age1', 'age2') WHERE idx = 1;");
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.Equal(1, verify.Exit);
        Assert.Contains("FAILED", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains("1", verify.Stderr, StringComparison.Ordinal);
        Assert.Single(verify.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_file_under_clips_that_the_catalog_does_not_know_is_named_after_the_logs_ok_and_fails()
    {
        var (_, data, _) = Homevault.Init();
        Directory.CreateDirectory(Path.Combine(data, "clips", "front", "2026-11-19"));
        File.WriteAllText(Path.Combine(data, "clips", "front", "2026-11-19", "planted.mp4.age"), "not recorded here");
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.Equal(1, verify.Exit);
        Assert.StartsWith("audit log OK: 1 entries", verify.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("homevault: audit verify: 1 file(s) under clips/ not in the catalog", verify.Stderr, StringComparison.Ordinal);
        Assert.EndsWith(": clips/front/2026-11-19/planted.mp4.age\n", verify.Stderr, StringComparison.Ordinal);
        Assert.Single(verify.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_checkpoint_from_a_rewritten_history_is_not_consistent()
    {
        var (dir, data, _) = Homevault.Init();
        var (_, other, _) = Homevault.Init();
        var foreign = Path.Combine(dir, "foreign.checkpoint");
        File.WriteAllText(foreign, Homevault.Run("audit", "checkpoint", "--data", other).Stdout);
        var r = Homevault.Run("audit", "consistency", foreign, "--data", data);
        Assert.Equal(1, r.Exit);
        Assert.StartsWith("homevault: NOT consistent", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Owner_cosigns_with_a_separate_sealed_key_and_verify_pins_the_log_key()
    {
        var (dir, data, pass) = Homevault.Init();
        var wrong = Path.Combine(dir, "wrong");
        File.WriteAllText(wrong, "not the right passphrase\n");
        var refused = Homevault.Run("audit", "cosign", "--data", data, "--passphrase-file", wrong);
        Assert.Equal(1, refused.Exit);
        Assert.False(File.Exists(Path.Combine(data, "keys", "alice.cosign.key.age")));

        var cosign = Homevault.Run("audit", "cosign", "--data", data, "--passphrase-file", pass);
        Assert.True(cosign.Exit == 0, cosign.Stderr);
        Assert.Contains("\n\u2014 homevault ", cosign.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n\u2014 alice ", cosign.Stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "keys", "alice.cosign.key.age")));

        var key = Homevault.Run("audit", "key", "--data", data).Stdout.Trim();
        var verify = Homevault.Run("audit", "verify", "--data", data, "--log-key", key);
        Assert.True(verify.Exit == 0, verify.Stderr);
        Assert.Contains("(1 co-signatures)", verify.Stdout, StringComparison.Ordinal);

        var (_, other, _) = Homevault.Init();
        var otherKey = Homevault.Run("audit", "key", "--data", other).Stdout.Trim();
        var pinned = Homevault.Run("audit", "verify", "--data", data, "--log-key", otherKey);
        Assert.Equal(1, pinned.Exit);
        Assert.Contains("not by the pinned key", pinned.Stderr, StringComparison.Ordinal);
    }
}

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("evil\u001b[2Jclear", "evil\\x1b[2Jclear")]
    [InlineData("line\nbreak", "line\\x0abreak")]
    [InlineData("c1\u009bcsi", "c1\\x9bcsi")]
    public void Control_characters_are_shown_not_executed(string input, string shown) =>
        Assert.Equal(shown, HomeVault.Cli.Infrastructure.TerminalText.Safe(input));
}
