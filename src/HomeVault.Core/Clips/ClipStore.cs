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
/// on the one connection. Durability order for each clip: file (age header) → fsync file → fsync
/// directory → 'recording' row; progress row (where the fragments end) → chunks → fsync; final length →
/// final chunk → fsync → sealed row + leaf.
/// </summary>
public sealed class ClipStore
{
    public const string Actor = "recorder";

    /// <summary>A progress commit is fsynced at least this often, bounding what a power loss takes from the catalog.</summary>
    public static readonly TimeSpan DurableProgressEvery = TimeSpan.FromSeconds(5);

    private readonly DataDirectory _data;
    private readonly SqliteConnection _db;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ClipRepository _clips;
    private readonly CameraRepository _cameras;
    private readonly RunRepository _runs;
    private long? _lastDurableProgress;
    private readonly Dictionary<long, (string Camera, DateTimeOffset IntendedEnd)> _abandoned = [];

    public ClipStore(DataDirectory data, SqliteConnection db, AuditLog audit, TimeProvider? time = null)
    {
        _data = data;
        _db = db;
        _audit = audit;
        _time = time ?? TimeProvider.System;
        _clips = new ClipRepository(db);
        _cameras = new CameraRepository(db);
        _runs = new RunRepository(db);
    }

    public DataDirectory Data => _data;

    /// <summary>Opens a new clip for <paramref name="camera"/>, sealed to every current owner.</summary>
    public OpenClip Begin(string camera, long? runId, DateTimeOffset start)
    {
        Names.ThrowIfInvalid(camera, "camera name");
        List<IRecipient> recipients;
        lock (_gate)
        {
            recipients = new OwnerRepository(_db).List().Select(o => (IRecipient)X25519Recipient.Parse(o.AgeRecipient)).ToList();
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
            lock (_gate)
            {
                var cameraId = _cameras.Ensure(camera, _time.GetUtcNow());
                id = _clips.Add(cameraId, runId, relative, start, start, 0, hashing.BytesWritten, null, ClipState.Recording, bootId: BootId.Current);
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
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_lastDurableProgress is not { } last || _time.GetElapsedTime(last, now) >= DurableProgressEvery)
            {
                _clips.UpdateProgress(clipId, end, plaintext, ciphertext, pendingFragments, finalPlaintext);
                _lastDurableProgress = now;
                return;
            }
            CatalogDatabase.SetSynchronous(_db, full: false);
            try
            {
                _clips.UpdateProgress(clipId, end, plaintext, ciphertext, pendingFragments, finalPlaintext);
            }
            finally
            {
                CatalogDatabase.SetSynchronous(_db, full: true);
            }
        }
    }

    internal Clip Seal(OpenClip clip, DateTimeOffset end, long plaintext, long ciphertext, string sha256) =>
        SealRow(clip.Id, clip.Camera, clip.RunId, clip.RelativePath, clip.Start, end, plaintext, ciphertext, sha256, ClipState.Complete);

    internal Clip SealRow(long id, string camera, long? runId, string relative, DateTimeOffset start, DateTimeOffset end, long plaintext, long ciphertext, string sha256, ClipState state)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            _clips.Seal(id, end, plaintext, ciphertext, sha256, state, tx);
            var startMs = start.ToUnixTimeMilliseconds();
            var endMs = Math.Max(end.ToUnixTimeMilliseconds(), startMs);
            var evt = state == ClipState.Complete
                ? AuditEvent.ClipSealed(Actor, camera, startMs, endMs, sha256, relative)
                : AuditEvent.ClipTruncated(Actor, camera, startMs, endMs, sha256, relative);
            var index = _audit.Append(evt, tx);
            _clips.SetAuditIndex(id, index, tx);
            tx.Commit();
            _audit.CheckpointIfDue();
            return new Clip(id, camera, runId, relative, start, DateTimeOffset.FromUnixTimeMilliseconds(endMs), plaintext, ciphertext, sha256, state, index);
        }
    }

    /// <summary>A clip whose completion failed (the disk was full): sealed as truncated by <see cref="SealAbandoned"/>.</summary>
    internal void Abandoned(long clipId, string camera, DateTimeOffset intendedEnd)
    {
        lock (_gate)
        {
            _abandoned[clipId] = (camera, intendedEnd);
        }
    }

    /// <summary>Whether clips wait to be sealed by <see cref="SealAbandoned"/>.</summary>
    public bool HasAbandoned
    {
        get
        {
            lock (_gate)
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
        lock (_gate)
        {
            abandoned = _abandoned.Select(kv => (kv.Key, kv.Value.Camera, kv.Value.IntendedEnd)).ToList();
        }
        foreach (var (id, camera, intendedEnd) in abandoned)
        {
            var clip = Locked((db, _) => new ClipRepository(db).ListRecording()).FirstOrDefault(c => c.Id == id);
            var sealedEnd = clip is null ? null : ClipReconciler.SealTruncated(this, clip, _time.GetUtcNow())?.End;
            if (sealedEnd is { } end && end < intendedEnd)
            {
                RecordGap(camera, end, intendedEnd, "disk full: footage received but not written");
            }
            lock (_gate)
            {
                _abandoned.Remove(id);
            }
        }
    }

    /// <summary>A camera connected: a run begins (catalog row and audit leaf).</summary>
    public long StartRun(string camera, DateTimeOffset at)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            var cameraId = _cameras.Ensure(camera, at, tx);
            var run = _runs.Start(cameraId, at, tx);
            var leaf = _audit.Append(new AuditEvent(Actor, AuditActions.RunStarted, "camera/" + camera, Details(("run", run))), tx);
            _runs.SetStartLeaf(run, leaf, tx);
            tx.Commit();
            return run;
        }
    }

    /// <summary>A camera's connection ended, and why.</summary>
    public void EndRun(string camera, long runId, DateTimeOffset at, string reason)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            _runs.End(runId, at, reason, tx);
            var leaf = _audit.Append(new AuditEvent(Actor, AuditActions.RunEnded, "camera/" + camera, Details(("run", runId), ("reason", reason))), tx);
            _runs.SetEndLeaf(runId, leaf, tx);
            tx.Commit();
            _audit.CheckpointIfDue();
        }
    }

    /// <summary>
    /// A camera's footage stopped at <paramref name="from"/>: an open gap row, without an audit leaf yet (the
    /// leaf comes when it closes, so a camera that stays down adds one however long it is down).
    /// </summary>
    public long OpenGap(string camera, DateTimeOffset from, string cause)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            var cameraId = _cameras.Ensure(camera, from, tx);
            var id = _runs.AddGap(cameraId, from, null, cause, tx);
            tx.Commit();
            return id;
        }
    }

    /// <summary>
    /// A stretch without footage for a camera ended at <paramref name="to"/>, and its cause: the open gap
    /// <paramref name="gapId"/> is closed (or, when null, a closed gap is recorded) with its audit leaf. A gap
    /// that ended where it began is no gap: an open row is removed and nothing is logged.
    /// </summary>
    public void CloseGap(long? gapId, string camera, DateTimeOffset from, DateTimeOffset to, string cause)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            if (to.ToUnixTimeMilliseconds() <= from.ToUnixTimeMilliseconds())
            {
                if (gapId is { } empty)
                {
                    _runs.DeleteOpenGap(empty, tx);
                }
                tx.Commit();
                return;
            }
            if (gapId is not { } gap || !_runs.CloseGap(gap, to, cause, tx))
            {
                gap = _runs.AddGap(_cameras.Ensure(camera, to, tx), from, to, cause, tx);
            }
            var leaf = _audit.Append(new AuditEvent(Actor, AuditActions.Gap, "camera/" + camera,
                Details(("from", from.ToUnixTimeMilliseconds()), ("to", to.ToUnixTimeMilliseconds()), ("cause", cause))), tx);
            _runs.SetGapLeaf(gap, leaf, tx);
            tx.Commit();
            _audit.CheckpointIfDue();
        }
    }

    /// <summary>A stretch without footage for a camera, and its cause, recorded whole.</summary>
    public void RecordGap(string camera, DateTimeOffset from, DateTimeOffset to, string cause) => CloseGap(null, camera, from, to, cause);

    /// <summary>Makes a signed checkpoint when entries arrived since the last and it is due (or now, when forced).</summary>
    public void Checkpoint(bool force = false)
    {
        lock (_gate)
        {
            if (force)
            {
                _audit.Checkpoint();
            }
            else
            {
                _audit.CheckpointIfDue();
            }
        }
    }

    /// <summary>Runs any catalog or log work under the store's lock (retention, reconciliation).</summary>
    public T Locked<T>(Func<SqliteConnection, AuditLog, T> work)
    {
        lock (_gate)
        {
            return work(_db, _audit);
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
