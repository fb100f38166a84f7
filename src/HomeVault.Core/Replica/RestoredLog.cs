using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>What the audit segments added to a restored catalog.</summary>
/// <param name="Lost">Sealed clips the catalog knows whose object never reached the bucket (sealed just before the theft).</param>
public sealed record RestoredLogReport(long SnapshotSize, long Size, int Segments, int RowsRebuilt, IReadOnlyList<string> Lost);

/// <summary>
/// Brings a restored catalog's audit log up to the replica's: the segments from the one holding the snapshot's last
/// entry on are opened, each entry the log already has compared, each new one appended, each segment's signed
/// checkpoint rebuilt from the entries and stored; then the rows the new entries describe are written
/// (<see cref="LeafRows"/>). All in one transaction: a segment that does not check out leaves the snapshot as it was.
/// </summary>
internal static class RestoredLog
{
    public static async Task<RestoredLogReport> ApplyAsync(DataDirectory data, SqliteConnection db, ObjectStore store, ReplicaLayout layout, ReplicaKeys clipKeys,
        X25519Identity identity, CancellationToken ct)
    {
        using var audit = InstallationAudit.Open(data, db);
        var snapshotSize = audit.Log.Size();
        var firsts = (await store.ListAsync(layout.AuditPrefix, ct).ConfigureAwait(false))
            .Select(o => (First: layout.SegmentFirst(o.Key), o.Key)).Where(s => s.First is not null).OrderBy(s => s.First).ToList();
        var from = firsts.FindLastIndex(s => s.First <= snapshotSize);
        var segments = new List<AuditSegment>();
        foreach (var (first, key) in firsts.Skip(Math.Max(0, from)))
        {
            using var body = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
            var segment = AuditSegment.Decode(Sealed.Open(identity, body, $"audit segment {first}"));
            if (segment.First != first)
            {
                throw new UserError($"replica audit segment {key} holds entries from {segment.First}, not {first}");
            }
            segments.Add(segment);
        }
        var fresh = segments.SelectMany(s => s.Entries.Select((bytes, i) => (Index: s.First + i, Bytes: bytes)))
            .Where(e => e.Index >= snapshotSize).DistinctBy(e => e.Index)
            .Select(e => AuditEntry.TryDecode(e.Index, e.Bytes, out _) ?? throw new UserError($"replica audit entry {e.Index} does not decode"))
            .ToList();
        var remote = (await store.ListAsync(clipKeys.ClipsPrefix, ct).ConfigureAwait(false)).ToDictionary(o => o.Key, o => o.Size, StringComparer.Ordinal);
        var objects = await ClipObjectsAsync(store, clipKeys, remote, fresh, ct).ConfigureAwait(false);
        using var tx = db.BeginTransaction(deferred: false);
        try
        {
            foreach (var segment in segments)
            {
                audit.Log.AppendReplicated(tx, segment.First, segment.Entries, segment.CheckpointNote, segment.CreatedMs);
            }
        }
        catch (AuditException ex)
        {
            throw new UserError($"the replica's audit log does not check out: {ex.Message}");
        }
        var rows = LeafRows.Rebuild(db, tx, fresh, objects);
        var lost = RecordLost(db, tx, audit.Log, clipKeys, remote);
        audit.Log.Checkpoint(tx);
        var size = audit.Log.Size(tx);
        new SettingsRepository(db, tx).Set(MetaReplicator.AuditNextSetting, size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        tx.Commit();
        return new RestoredLogReport(snapshotSize, size, segments.Count, rows, lost);
    }

    /// <summary>
    /// A sealed clip whose object the bucket does not hold was lost with the recorder: its row is marked deleted and the
    /// restored log says so in a clip.deleted leaf of its own, so the record shows the loss (and `audit verify` holds).
    /// </summary>
    private static List<string> RecordLost(SqliteConnection db, SqliteTransaction tx, AuditLog log, ReplicaKeys keys, Dictionary<string, long> remote)
    {
        var clips = new ClipRepository(db, tx);
        var lost = clips.Query().Where(c => !remote.ContainsKey(keys.Clip(c.Sha256!))).ToList();
        var now = DateTimeOffset.UtcNow;
        foreach (var clip in lost)
        {
            clips.MarkDeleted(clip.Id, clip.Sha256!, now, LostReason);
            log.Append(AuditEvent.ClipDeleted(Actor, clip.Path, clip.Sha256!, LostReason), tx);
        }
        return [.. lost.Select(c => $"clip {c.Id} ({c.Camera} {c.Start:yyyy-MM-ddTHH:mm:ssZ}): not in the bucket, lost with the recorder")];
    }

    private const string Actor = "replica-restore";
    private const string LostReason = "not in the replica when restored";

    /// <summary>The bucket's object for each clip the new entries seal: its size and, from its age header, its plaintext size.</summary>
    private static async Task<Dictionary<string, ClipObject>> ClipObjectsAsync(ObjectStore store, ReplicaKeys keys, Dictionary<string, long> sizes, List<AuditEntry> entries,
        CancellationToken ct)
    {
        var found = new Dictionary<string, ClipObject>(StringComparer.Ordinal);
        foreach (var sha in entries.Where(e => e.Event.Action is AuditActions.ClipSealed or AuditActions.ClipTruncated).Select(e => e.Event.Details["sha256"]))
        {
            if (!sizes.TryGetValue(keys.Clip(sha), out var size))
            {
                continue;
            }
            using var body = await store.OpenReadAsync(keys.Clip(sha), ct).ConfigureAwait(false);
            var head = new byte[(int)Math.Min(size, 64 * 1024)];
            var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            var offset = AgeLayout.PayloadOffset(new MemoryStream(head, 0, read)) ?? throw new UserError($"the replica's clip object for {sha} is not an age file");
            found[sha] = new ClipObject(size, AgeLayout.PlaintextLength(size - offset));
        }
        return found;
    }
}
