using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

/// <summary>
/// One test per kind of edit an attacker with the database file could make. The append-only
/// triggers are dropped first (as such an attacker would); each test checks the verifier names
/// the right kind of problem at the right index.
/// </summary>
public sealed class TamperTests
{
    private static AuditTestLog Logged(int entries = 10, bool checkpoint = true)
    {
        var t = new AuditTestLog();
        t.AppendMany(entries);
        if (checkpoint)
        {
            t.Log.Checkpoint();
        }
        Assert.True(t.Log.Verify().Ok);
        return t;
    }

    private static AuditProblem Problem(AuditTestLog t, AuditVerifyOptions? options = null)
    {
        var report = t.Log.Verify(options);
        Assert.False(report.Ok, "tampering went unnoticed");
        return report.FirstProblem!;
    }

    private static byte[] Forged(AuditTestLog t, long index, string subject)
    {
        var e = t.Log.GetEntry(index);
        return AuditEntry.Encode(e.TimeMs, new AuditEvent(e.Event.Actor, e.Event.Action, subject, e.Event.Details));
    }

    [Fact]
    public void Editing_entry_bytes_is_caught_at_that_entry()
    {
        using var t = Logged();
        t.Tamper("SELECT 1");
        t.Exec("UPDATE audit_entries SET entry = $e WHERE idx = 6", ("$e", Forged(t, 6, "nothing-to-see")));
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.LeafHashMismatch, p.Kind);
        Assert.Equal(6, p.EntryIndex);
        Assert.NotEqual(p.Expected, p.Found);
    }

    [Fact]
    public void Editing_entry_bytes_and_leaf_hash_is_caught_by_the_subtree_above()
    {
        using var t = Logged();
        var forged = Forged(t, 4, "nothing-to-see");
        t.Tamper("SELECT 1");
        t.Exec("UPDATE audit_entries SET entry = $e, leaf_hash = $h WHERE idx = 4", ("$e", forged), ("$h", MerkleHash.Leaf(forged)));
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.NodeMismatch, p.Kind);
        Assert.Equal(5, p.EntryIndex); // the subtree over leaves 4..5 closes at leaf 5
        Assert.Contains("leaves 4..5", p.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_everything_but_the_signed_checkpoint_is_caught_by_the_checkpoint()
    {
        using var t = Logged(entries: 9); // leaf 8 closes no subtree: only the checkpoint covers it
        var forged = Forged(t, 8, "nothing-to-see");
        t.Tamper("SELECT 1");
        t.Exec("UPDATE audit_entries SET entry = $e, leaf_hash = $h WHERE idx = 8", ("$e", forged), ("$h", MerkleHash.Leaf(forged)));
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.CheckpointMismatch, p.Kind);
        Assert.Equal(8, p.EntryIndex);
    }

    [Fact]
    public void Editing_an_entry_time_is_caught()
    {
        using var t = Logged();
        t.Tamper("UPDATE audit_entries SET time_ms = time_ms - 3600000 WHERE idx = 3");
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.EntryTimeMismatch, p.Kind);
        Assert.Equal(3, p.EntryIndex);
    }

    [Fact]
    public void Deleting_a_row_is_caught_where_it_was()
    {
        using var t = Logged();
        t.Tamper("DELETE FROM audit_entries WHERE idx = 5");
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.EntryMissing, p.Kind);
        Assert.Equal(5, p.EntryIndex);
        Assert.Equal("6", p.Found);
    }

    [Fact]
    public void Deleting_the_last_rows_is_caught_by_the_checkpoint()
    {
        using var t = Logged(entries: 11);
        t.Tamper("DELETE FROM audit_entries WHERE idx = 10");
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.CheckpointBeyondLog, p.Kind);
        Assert.Equal("11", p.Expected);
        Assert.Equal("10", p.Found);
    }

    [Fact]
    public void Reordering_rows_is_caught()
    {
        using var t = new AuditTestLog();
        // Same timestamp for all, so only the tree can tell the order.
        t.Log.AppendBatch(Enumerable.Range(0, 8).Select(AuditTestLog.Event).ToList());
        t.Log.Checkpoint();
        t.Tamper("CREATE TEMP TABLE swap AS SELECT * FROM audit_entries WHERE idx IN (2, 5);" +
                 "DELETE FROM audit_entries WHERE idx IN (2, 5);" +
                 "INSERT INTO audit_entries SELECT CASE idx WHEN 2 THEN 5 ELSE 2 END, time_ms, entry, leaf_hash FROM swap;");
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.NodeMismatch, p.Kind);
        Assert.Equal(3, p.EntryIndex); // subtree over leaves 2..3 is the first to differ
    }

    [Fact]
    public void Reordering_rows_with_different_times_is_caught_by_the_times()
    {
        using var t = Logged();
        t.Tamper("CREATE TEMP TABLE swap AS SELECT * FROM audit_entries WHERE idx IN (2, 3);" +
                 "DELETE FROM audit_entries WHERE idx IN (2, 3);" +
                 "INSERT INTO audit_entries SELECT CASE idx WHEN 2 THEN 3 ELSE 2 END, time_ms, entry, leaf_hash FROM swap;");
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.EntryTimeWentBackwards, p.Kind);
        Assert.Equal(3, p.EntryIndex);
    }

    [Fact]
    public void Inserting_a_row_in_the_middle_is_caught()
    {
        using var t = Logged();
        var forged = Forged(t, 5, "planted");
        var time = t.Log.GetEntry(5).TimeMs;
        t.Tamper("CREATE TEMP TABLE tail AS SELECT * FROM audit_entries WHERE idx >= 5;" +
                 "DELETE FROM audit_entries WHERE idx >= 5;" +
                 "INSERT INTO audit_entries SELECT idx + 1, time_ms, entry, leaf_hash FROM tail;");
        t.Exec("INSERT INTO audit_entries VALUES (5, $t, $e, $h)", ("$t", time), ("$e", forged), ("$h", MerkleHash.Leaf(forged)));
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.NodeMismatch, p.Kind);
        Assert.Equal(5, p.EntryIndex);
    }

    [Fact]
    public void Inserting_a_row_at_the_end_is_caught_by_the_missing_subtree()
    {
        using var t = Logged(entries: 11);
        var last = t.Log.GetEntry(10);
        var forged = AuditEntry.Encode(last.TimeMs, new AuditEvent("attacker", AuditActions.ConfigChanged, "planted"));
        t.Tamper("SELECT 1");
        t.Exec("INSERT INTO audit_entries VALUES (11, $t, $e, $h)", ("$t", last.TimeMs), ("$e", forged), ("$h", MerkleHash.Leaf(forged)));
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.NodeMissing, p.Kind);
        Assert.Equal(11, p.EntryIndex);
    }

    [Fact]
    public void Editing_a_node_row_is_caught()
    {
        using var t = Logged(entries: 16);
        t.Tamper("UPDATE audit_nodes SET hash = zeroblob(32) WHERE level = 2 AND idx = 1");
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.NodeMismatch, p.Kind);
        Assert.Equal(7, p.EntryIndex);
        Assert.Equal(Convert.ToBase64String(new byte[32]), p.Found);
    }

    [Fact]
    public void Deleting_or_adding_node_rows_is_caught()
    {
        using (var t = Logged(entries: 16))
        {
            t.Tamper("DELETE FROM audit_nodes WHERE level = 1 AND idx = 6");
            var p = Problem(t);
            Assert.Equal(AuditProblemKind.NodeMissing, p.Kind);
            Assert.Equal(13, p.EntryIndex);
        }
        using (var t = Logged(entries: 16))
        {
            t.Tamper("INSERT INTO audit_nodes VALUES (5, 0, zeroblob(32))");
            Assert.Equal(AuditProblemKind.UnexpectedNode, Problem(t).Kind);
        }
    }

    [Fact]
    public void Editing_a_checkpoint_is_caught()
    {
        using (var t = Logged())
        {
            // The note's size line changed: the signature no longer matches.
            t.Tamper("UPDATE audit_checkpoints SET note = replace(note, char(10) || '10' || char(10), char(10) || '9' || char(10))");
            var p = Problem(t);
            Assert.Equal(AuditProblemKind.CheckpointSignatureInvalid, p.Kind);
        }
        using (var t = Logged())
        {
            t.Tamper("UPDATE audit_checkpoints SET root_hash = zeroblob(32)");
            Assert.Equal(AuditProblemKind.CheckpointMismatch, Problem(t).Kind);
        }
        using (var t = Logged())
        {
            // Re-signed with the real key (which lives on the same disk) over a rewritten root.
            var fake = new Checkpoint(AuditTestLog.Origin, 10, SHA256.HashData("x"u8));
            t.Tamper("SELECT 1");
            t.Exec("UPDATE audit_checkpoints SET note = $n, root_hash = $r", ("$n", SignedNote.Sign(fake.ToText(), t.Key)), ("$r", fake.RootHash.ToArray()));
            var p = Problem(t);
            Assert.Equal(AuditProblemKind.CheckpointMismatch, p.Kind);
            Assert.Equal(9, p.EntryIndex);
        }
    }

    [Fact]
    public void Raw_file_editing_is_caught()
    {
        using var t = Logged();
        t.Connection.Dispose(); // last connection closes: WAL is checkpointed into the file
        var bytes = File.ReadAllBytes(t.DbPath);
        var needle = Encoding.UTF8.GetBytes("\"subject\":\"setting-7\"");
        var at = bytes.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        Assert.Equal(-1, bytes.AsSpan(at + 1).IndexOf(needle));
        bytes[at + needle.Length - 2] = (byte)'X';
        File.WriteAllBytes(t.DbPath, bytes);
        t.Reopen();
        var p = Problem(t);
        Assert.Equal(AuditProblemKind.LeafHashMismatch, p.Kind);
        Assert.Equal(7, p.EntryIndex);
    }
}
