using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Clips;

/// <summary>
/// Start-up repair after a crash. A clip left 'recording' is sealed as truncated: its file keeps
/// every chunk that reached the disk (owners recover it with salvage up to the last authenticated
/// chunk; the recorder cannot, holding no private key). Its bytes are what salvage recovers from the
/// file as it stands, and its end that of the last whole fragment among them, from the fragment ends
/// the last progress row recorded before that ciphertext could reach the file (see <see cref="OpenClip"/>);
/// after a reboot, only what that row knew to be fsynced.
/// Runs left open are closed as "crash" with a gap up to the restart, and so are gaps left open (a camera that
/// was down). Files the catalog does not know are
/// reported, never deleted.
/// <para>
/// Only the holder of the data directory's lock may reconcile: to anyone else a clip being recorded right now
/// looks exactly like one a crash left open, and sealing it would break the running recorder's clip.
/// </para>
/// </summary>
public static class ClipReconciler
{
    /// <param name="now">The restart's moment: where the crash's gaps end and the cameras' first gaps begin (default: now).</param>
    /// <exception cref="InvalidOperationException"><paramref name="held"/> is not a held lock on the store's data directory.</exception>
    public static ReconcileReport Reconcile(ClipStore store, DataDirectoryLock held, TimeProvider? time = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(held);
        if (!held.Covers(store.Data))
        {
            throw new InvalidOperationException($"reconciling {store.Data.Root} needs its lock (held: {held.IsHeld}, for {held.Root})");
        }
        var restart = now ?? (time ?? TimeProvider.System).GetUtcNow();
        var truncated = new List<Clip>();
        var missing = new List<string>();
        IReadOnlyList<Clip> recording;
        using (var work = store.Catalog.Read())
        {
            recording = work.Clips.ListRecording();
        }
        foreach (var clip in recording)
        {
            if (SealTruncated(store, clip, restart) is { } sealedClip)
            {
                truncated.Add(sealedClip);
            }
            else
            {
                missing.Add(clip.Path);
            }
        }

        IReadOnlyList<(long RunId, string Camera, DateTimeOffset Started, DateTimeOffset LastFootage)> dangling;
        using (var work = store.Catalog.Read())
        {
            dangling = work.Runs.ListDangling();
        }
        foreach (var (runId, camera, _, lastFootage) in dangling)
        {
            store.EndRun(camera, runId, lastFootage, "crash");
            if (restart > lastFootage)
            {
                store.RecordGap(camera, lastFootage, restart, "service stopped unexpectedly");
            }
        }

        // A camera that was down when the service died: its gap runs on to this start.
        IReadOnlyList<(long GapId, string Camera, DateTimeOffset From, string Cause)> openGaps;
        using (var work = store.Catalog.Read())
        {
            openGaps = work.Runs.ListOpenGaps();
        }
        foreach (var (gapId, camera, from, cause) in openGaps)
        {
            store.CloseGap(gapId, camera, from, restart, cause + "; service stopped unexpectedly");
        }

        return new ReconcileReport(truncated, missing, FindOrphans(store), dangling.Count);
    }

    /// <summary>
    /// Seals one clip left 'recording' as truncated: what salvage recovers from its file as it stands. A clip
    /// whose file is gone is logged as deleted instead, and null is returned.
    /// </summary>
    internal static Clip? SealTruncated(ClipStore store, Clip clip, DateTimeOffset now)
    {
        var full = store.Data.ResolveInside(clip.Path);
        if (!File.Exists(full))
        {
            using var work = store.Catalog.Write();
            var empty = Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));
            work.Clips.MarkDeleted(clip.Id, empty, now, "file missing after crash");
            work.Append(AuditEvent.ClipDeleted(ClipStore.Actor, clip.Path, empty, "file missing after crash"));
            work.Commit();
            return null;
        }
        OpenClipProgress progress;
        using (var work = store.Catalog.Read())
        {
            progress = work.Clips.PendingProgress(clip.Id);
        }
        var (sha, length, plaintext, end) = progress.BootId == BootId.Current
            ? AfterKill(clip, full, progress)
            : AfterReboot(clip, full);
        return store.SealRow(clip.Id, clip.Camera, clip.RunId, clip.Path, clip.Start, end, plaintext, length, sha, ClipState.Truncated);
    }

    /// <summary>
    /// After a kill the file holds everything written to it, and salvage recovers its whole chunks (a crash
    /// leaves no final chunk), or the whole file if the row says the final chunk was being written and the file
    /// has exactly the complete length for it. The end is that of the last fragment inside: the durable end the
    /// row recorded, or a later fragment end it listed. Recovering less than the row called durable means the
    /// file lost fsynced chunks and the ends below are unknown: the start then, never a claim past what is there.
    /// </summary>
    private static (string Sha256, long Length, long Plaintext, DateTimeOffset End) AfterKill(Clip clip, string path, OpenClipProgress progress)
    {
        var (sha, length, payload) = Measure(path);
        var plaintext = progress.FinalPlaintext is { } whole && payload == AgeLayout.PayloadLength(whole)
            ? whole
            : payload / AgeLayout.EncryptedChunkSize * AgeLayout.ChunkSize;
        var end = plaintext < clip.PlaintextBytes ? clip.Start
            : PendingFragments.LastEndWithin(progress.PendingFragments, plaintext) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : clip.End;
        return (sha, length, plaintext, end);
    }

    /// <summary>
    /// A clip begun in an earlier boot (a power cut, or a reboot after a kill): blocks not fsynced may be missing
    /// inside the file's length, where salvage would stop, so only what the row called durable (fsynced before it
    /// was written) is claimed. The catalog then lags what salvage may recover, never the other way.
    /// </summary>
    private static (string Sha256, long Length, long Plaintext, DateTimeOffset End) AfterReboot(Clip clip, string path)
    {
        var (sha, length, payload) = Measure(path);
        var whole = payload / AgeLayout.EncryptedChunkSize * AgeLayout.ChunkSize;
        return whole < clip.PlaintextBytes ? (sha, length, whole, clip.Start) : (sha, length, clip.PlaintextBytes, clip.End);
    }

    /// <summary>Hash and size of the file, and the length of its payload (after the header and nonce).</summary>
    private static (string Sha256, long Length, long Payload) Measure(string path)
    {
        using var file = File.OpenRead(path);
        var offset = AgeLayout.PayloadOffset(file) ?? file.Length;
        file.Position = 0;
        var sha = Convert.ToHexStringLower(SHA256.HashData(file));
        return (sha, file.Length, Math.Max(0, file.Length - offset));
    }

    private static List<string> FindOrphans(ClipStore store)
    {
        var clipsDir = store.Data.ClipsDir;
        if (!Directory.Exists(clipsDir))
        {
            return [];
        }
        HashSet<string> known;
        using (var work = store.Catalog.Read())
        {
            known = work.Clips.AllPaths();
        }
        return Directory.EnumerateFiles(clipsDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(store.Data.Root, f))
            .Where(rel => !known.Contains(rel))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
