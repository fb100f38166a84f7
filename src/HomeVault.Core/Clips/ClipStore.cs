using System.Globalization;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Clips;

/// <summary>
/// Where the recorder's clips, runs and gaps go: sealed files under clips/, catalog rows, audit
/// leaves. Thread-safe: cameras record concurrently, while catalog and log writes are serialised
/// on the one connection by its <see cref="CatalogConnection"/>. Durability order for each clip: file (age header) → fsync file → fsync
/// directory → 'recording' row; progress row (where the fragments end) → chunks → fsync; final length →
/// final chunk → fsync → sealed row + leaf.
/// </summary>
public sealed class ClipStore
{
    public const string Actor = "recorder";

    /// <summary>A progress commit is fsynced at least this often, bounding what a power loss takes from the catalog.</summary>
    public static readonly TimeSpan DurableProgressEvery = TimeSpan.FromSeconds(5);

    private readonly DataDirectory _data;
    private readonly TimeProvider _time;
    private long? _lastDurableProgress;
    private readonly Dictionary<long, (string Camera, DateTimeOffset IntendedEnd)> _abandoned = [];

    public ClipStore(DataDirectory data, SqliteConnection db, AuditLog audit, TimeProvider? time = null)
    {
        _data = data;
        _time = time ?? TimeProvider.System;
        Catalog = new CatalogConnection(db, audit, _time);
    }

    public DataDirectory Data => _data;

    /// <summary>The store's catalog connection and audit log: retention and reconciliation work through it too.</summary>
    public CatalogConnection Catalog { get; }

    /// <summary>Opens a new clip for <paramref name="camera"/>, sealed to every current owner.</summary>
    public OpenClip Begin(string camera, long? runId, DateTimeOffset start)
    {
        Names.ThrowIfInvalid(camera, "camera name");
        List<IRecipient> recipients;
        using (var work = Catalog.Read())
        {
            recipients = work.Owners.List().Select(o => (IRecipient)X25519Recipient.Parse(o.AgeRecipient)).ToList();
        }
        if (recipients.Count == 0)
        {
            throw new InvalidOperationException("no owners to seal clips to");
        }
        var (relative, file) = CreateUniqueFile(camera, start);
        var full = Path.Combine(_data.Root, relative);
        HashingWriteStream? hashing = null;
        AgeEncryptingStream? age = null;
        try
        {
            hashing = new HashingWriteStream(file);
            age = Age.EncryptingStream(hashing, recipients, leaveOpen: true);
            age.Flush();
            file.Flush(flushToDisk: true);
            Durable.SyncDirectory(Path.GetDirectoryName(full)!);
            long id;
            using (var work = Catalog.Read())
            {
                var cameraId = work.Cameras.Ensure(camera, _time.GetUtcNow());
                id = work.Clips.Add(cameraId, runId, relative, start, start, 0, hashing.BytesWritten, null, ClipState.Recording, bootId: BootId.Current);
            }
            return new OpenClip(this, id, camera, runId, relative, file, hashing, age, start);
        }
        catch
        {
            age?.Abandon();
            age?.Dispose();
            hashing?.Dispose();
            file.Dispose();
            File.Delete(full);
            throw;
        }
    }

    /// <summary>
    /// Records a clip's durable extent and, before more of its ciphertext may reach the file, where the fragments
    /// beyond it end (see <see cref="OpenClip"/>). Every camera does this about once a second, so the commit goes
    /// to the write-ahead log without an fsync of its own (PRAGMA synchronous=NORMAL for this one statement): it
    /// survives the process being killed, as the log is in the OS's cache, and the next fsynced commit (any clip
    /// sealed, run begun or ended, or one of these at least every <see cref="DurableProgressEvery"/>) makes it
    /// survive a power loss too. Its end and bytes only ever lag the fsynced file; the pending fragments are
    /// ahead of it by design. Every other commit on the connection stays fsynced.
    /// </summary>
    internal void RecordProgress(long clipId, DateTimeOffset end, long plaintext, long ciphertext, string? pendingFragments, long? finalPlaintext)
    {
        // No transaction: one statement that commits by itself, with or without an fsync.
        using var work = Catalog.Read();
        var now = _time.GetTimestamp();
        if (_lastDurableProgress is not { } last || _time.GetElapsedTime(last, now) >= DurableProgressEvery)
        {
            work.Clips.UpdateProgress(clipId, end, plaintext, ciphertext, pendingFragments, finalPlaintext);
            _lastDurableProgress = now;
            return;
        }
        CatalogDatabase.SetSynchronous(work.Connection, full: false);
        try
        {
            work.Clips.UpdateProgress(clipId, end, plaintext, ciphertext, pendingFragments, finalPlaintext);
        }
        finally
        {
            CatalogDatabase.SetSynchronous(work.Connection, full: true);
        }
    }

    internal Clip Seal(OpenClip clip, DateTimeOffset end, long plaintext, long ciphertext, string sha256) =>
        SealRow(clip.Id, clip.Camera, clip.RunId, clip.RelativePath, clip.Start, end, plaintext, ciphertext, sha256, ClipState.Complete);

    internal Clip SealRow(long id, string camera, long? runId, string relative, DateTimeOffset start, DateTimeOffset end, long plaintext, long ciphertext, string sha256, ClipState state)
    {
        using var work = Catalog.Write();
        work.Clips.Seal(id, end, plaintext, ciphertext, sha256, state);
        var startMs = start.ToUnixTimeMilliseconds();
        var endMs = Math.Max(end.ToUnixTimeMilliseconds(), startMs);
        var evt = state == ClipState.Complete
            ? AuditEvent.ClipSealed(Actor, camera, startMs, endMs, sha256, relative)
            : AuditEvent.ClipTruncated(Actor, camera, startMs, endMs, sha256, relative);
        var index = work.Append(evt);
        work.Clips.SetAuditIndex(id, index);
        work.Commit();
        work.Audit.CheckpointIfDue();
        return new Clip(id, camera, runId, relative, start, DateTimeOffset.FromUnixTimeMilliseconds(endMs), plaintext, ciphertext, sha256, state, index);
    }

    /// <summary>A clip whose completion failed (the disk was full): sealed as truncated by <see cref="SealAbandoned"/>.</summary>
    internal void Abandoned(long clipId, string camera, DateTimeOffset intendedEnd)
    {
        lock (_abandoned)
        {
            _abandoned[clipId] = (camera, intendedEnd);
        }
    }

    /// <summary>Whether clips wait to be sealed by <see cref="SealAbandoned"/>.</summary>
    public bool HasAbandoned
    {
        get
        {
            lock (_abandoned)
            {
                return _abandoned.Count > 0;
            }
        }
    }

    /// <summary>
    /// Seals, now rather than at the next start, the clips of this process whose completion failed: as truncated,
    /// claiming what salvage recovers from the file (see <see cref="ClipReconciler"/>); the footage received past
    /// that was never written, so it is a gap with that cause. Throws (and keeps them) while the disk is still full.
    /// </summary>
    public void SealAbandoned()
    {
        List<(long Id, string Camera, DateTimeOffset IntendedEnd)> abandoned;
        lock (_abandoned)
        {
            abandoned = _abandoned.Select(kv => (kv.Key, kv.Value.Camera, kv.Value.IntendedEnd)).ToList();
        }
        foreach (var (id, camera, intendedEnd) in abandoned)
        {
            Clip? clip;
            using (var work = Catalog.Read())
            {
                clip = work.Clips.ListRecording().FirstOrDefault(c => c.Id == id);
            }
            var sealedEnd = clip is null ? null : ClipReconciler.SealTruncated(this, clip, _time.GetUtcNow())?.End;
            if (sealedEnd is { } end && end < intendedEnd)
            {
                RecordGap(camera, end, intendedEnd, "disk full: footage received but not written");
            }
            lock (_abandoned)
            {
                _abandoned.Remove(id);
            }
        }
    }

    /// <summary>A camera connected: a run begins (catalog row and audit leaf).</summary>
    public long StartRun(string camera, DateTimeOffset at)
    {
        using var work = Catalog.Write();
        var cameraId = work.Cameras.Ensure(camera, at);
        var run = work.Runs.Start(cameraId, at);
        var leaf = work.Append(new AuditEvent(Actor, AuditActions.RunStarted, "camera/" + camera, Details(("run", run))));
        work.Runs.SetStartLeaf(run, leaf);
        work.Commit();
        return run;
    }

    /// <summary>A camera's connection ended, and why.</summary>
    public void EndRun(string camera, long runId, DateTimeOffset at, string reason)
    {
        using var work = Catalog.Write();
        work.Runs.End(runId, at, reason);
        var leaf = work.Append(new AuditEvent(Actor, AuditActions.RunEnded, "camera/" + camera, Details(("run", runId), ("reason", reason))));
        work.Runs.SetEndLeaf(runId, leaf);
        work.Commit();
        work.Audit.CheckpointIfDue();
    }

    /// <summary>
    /// A camera's footage stopped at <paramref name="from"/>: an open gap row, without an audit leaf yet (the
    /// leaf comes when it closes, so a camera that stays down adds one however long it is down).
    /// </summary>
    public long OpenGap(string camera, DateTimeOffset from, string cause)
    {
        using var work = Catalog.Write();
        var cameraId = work.Cameras.Ensure(camera, from);
        var id = work.Runs.AddGap(cameraId, from, null, cause);
        work.Commit();
        return id;
    }

    /// <summary>
    /// A stretch without footage for a camera ended at <paramref name="to"/>, and its cause: the open gap
    /// <paramref name="gapId"/> is closed (or, when null, a closed gap is recorded) with its audit leaf. A gap
    /// that ended where it began is no gap: an open row is removed and nothing is logged.
    /// </summary>
    public void CloseGap(long? gapId, string camera, DateTimeOffset from, DateTimeOffset to, string cause)
    {
        using var work = Catalog.Write();
        if (to.ToUnixTimeMilliseconds() <= from.ToUnixTimeMilliseconds())
        {
            if (gapId is { } empty)
            {
                work.Runs.DeleteOpenGap(empty);
            }
            work.Commit();
            return;
        }
        if (gapId is not { } gap || !work.Runs.CloseGap(gap, to, cause))
        {
            gap = work.Runs.AddGap(work.Cameras.Ensure(camera, to), from, to, cause);
        }
        var leaf = work.Append(new AuditEvent(Actor, AuditActions.Gap, "camera/" + camera,
            Details(("from", from.ToUnixTimeMilliseconds()), ("to", to.ToUnixTimeMilliseconds()), ("cause", cause))));
        work.Runs.SetGapLeaf(gap, leaf);
        work.Commit();
        work.Audit.CheckpointIfDue();
    }

    /// <summary>A stretch without footage for a camera, and its cause, recorded whole.</summary>
    public void RecordGap(string camera, DateTimeOffset from, DateTimeOffset to, string cause) => CloseGap(null, camera, from, to, cause);

    /// <summary>Makes a signed checkpoint when entries arrived since the last and it is due (or now, when forced).</summary>
    public void Checkpoint(bool force = false)
    {
        using var work = Catalog.Read();
        if (force)
        {
            work.Audit.Checkpoint();
        }
        else
        {
            work.Audit.CheckpointIfDue();
        }
    }

    private static Dictionary<string, string> Details(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "");

    /// <summary>clips/CAMERA/YYYY-MM-DD/CAMERA-YYYYMMDDTHHMMSS.fffZ.mp4.age, with a suffix if that exists.</summary>
    private (string Relative, FileStream File) CreateUniqueFile(string camera, DateTimeOffset start)
    {
        var utc = start.UtcDateTime;
        var dir = Path.Combine("clips", camera, utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var stem = $"{camera}-{utc.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture)}";
        for (var attempt = 0; ; attempt++)
        {
            var name = attempt == 0 ? stem + ".mp4.age" : $"{stem}-{attempt}.mp4.age";
            var relative = Path.Combine(dir, name);
            try
            {
                return (relative, OpenClip.CreateFile(Path.Combine(_data.Root, relative)));
            }
            catch (IOException) when (attempt < 100 && File.Exists(Path.Combine(_data.Root, relative)))
            {
                // Same camera, same millisecond: try the next suffix.
            }
        }
    }
}
