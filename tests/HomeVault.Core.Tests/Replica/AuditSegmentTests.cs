using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Replica;
using HomeVault.Tests.Audit;

namespace HomeVault.Core.Tests.Replica;

/// <summary>
/// The replica's audit segments: a restore appends another copy's entries only when they rebuild a checkpoint this
/// log's key signed, and compares the ones it already holds.
/// </summary>
public sealed class AuditSegmentTests : IDisposable
{
    private readonly AuditTestLog _source = new();
    private readonly AuditTestLog _restored = new();

    public void Dispose()
    {
        _source.Dispose();
        _restored.Dispose();
    }

    /// <summary>The restored catalog's log, under the source's key and origin (as a restore gets them from the keys bundle).</summary>
    private AuditLog Restored() => new(_restored.Connection, _source.Key, AuditTestLog.Origin, _restored.Time);

    private AuditSegment Segment(long first, long size)
    {
        var checkpoint = _source.Log.Checkpoint();
        Assert.Equal(size, checkpoint.Size);
        var entries = _source.Log.GetEntries(first, (int)(size - first)).Select(e => e.CanonicalBytes.ToArray()).ToList();
        return new AuditSegment(first, checkpoint.CreatedMs, entries, checkpoint.Note);
    }

    private static long Append(AuditLog log, Microsoft.Data.Sqlite.SqliteConnection db, AuditSegment segment)
    {
        using var tx = db.BeginTransaction(deferred: false);
        var before = log.AppendReplicated(tx, segment.First, segment.Entries, segment.CheckpointNote, segment.CreatedMs);
        tx.Commit();
        return before;
    }

    [Fact]
    public void Segments_survive_their_text_form_and_rebuild_the_log_with_its_checkpoints_across_an_overlap()
    {
        _source.AppendMany(12);
        var first = AuditSegment.Decode(Segment(0, 12).Encode());
        _source.AppendMany(7);
        var second = AuditSegment.Decode(Segment(9, 19).Encode()); // overlaps the first by three entries
        var log = Restored();

        Assert.Equal(0, Append(log, _restored.Connection, first));
        Assert.Equal(12, Append(log, _restored.Connection, second));

        Assert.Equal(19, log.Size());
        Assert.Equal(_source.Log.RootAt(19), log.RootAt(19));
        Assert.True(log.Verify().Ok, log.Verify().FirstProblem?.ToString());
        Assert.Equal(2L, _restored.Scalar("SELECT count(*) FROM audit_checkpoints"));
    }

    [Fact]
    public void An_altered_entry_a_gap_or_a_foreign_checkpoint_is_refused_and_nothing_is_appended()
    {
        _source.AppendMany(10);
        var segment = Segment(0, 10);
        var altered = segment.Entries.ToList();
        altered[4] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(altered[4]).Replace("\"test\"", "\"tesT\"", StringComparison.Ordinal));
        var log = Restored();

        var rebuilt = Assert.Throws<AuditException>(() => Append(log, _restored.Connection, segment with { Entries = altered }));
        Assert.Equal("the entries do not rebuild the segment's signed checkpoint at 10", rebuilt.Message);
        var gap = Assert.Throws<AuditException>(() => Append(log, _restored.Connection, segment with { First = 3 }));
        Assert.Equal("the log holds 0 entries but the next segment starts at 3: entries 0..2 are missing", gap.Message);
        using var otherKey = NoteSigner.Generate(AuditTestLog.Origin);
        var foreign = new AuditLog(_restored.Connection, otherKey, AuditTestLog.Origin, _restored.Time);
        var unsigned = Assert.Throws<AuditException>(() => Append(foreign, _restored.Connection, segment));
        Assert.StartsWith("the checkpoint of the segment at 0 does not verify with this log's key", unsigned.Message, StringComparison.Ordinal);
        Assert.Equal(0L, _restored.Scalar("SELECT count(*) FROM audit_entries"));

        // With its own entries the same segment goes in; sent again, its entries are compared and kept once.
        Append(log, _restored.Connection, segment);
        Append(log, _restored.Connection, segment);
        Assert.Equal(10, log.Size());
        var differs = Assert.Throws<AuditException>(() => Append(log, _restored.Connection, segment with { Entries = altered }));
        Assert.Equal("entry 4 of the segment differs from the log's", differs.Message);
    }
}
