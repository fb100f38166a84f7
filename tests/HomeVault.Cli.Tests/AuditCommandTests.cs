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
}
