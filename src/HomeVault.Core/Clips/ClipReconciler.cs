using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Clips;

/// <summary>
/// Start-up repair after a crash. A clip left 'recording' is sealed as truncated: its file keeps
/// every chunk that reached the disk (owners recover it with salvage up to the last authenticated
/// chunk; the recorder cannot, holding no private key), and its end is the last fsynced progress.
/// Runs left open are closed as "crash" with a gap up to now, and so are gaps left open (a camera that was down). Files the catalog does not know are
/// reported, never deleted.
/// </summary>
public static class ClipReconciler
{
    /// <param name="now">The restart's moment: where the crash's gaps end and the cameras' start gaps begin (default: now).</param>
    public static ReconcileReport Reconcile(ClipStore store, TimeProvider? time = null, DateTimeOffset? now = null)
    {
        var restart = now ?? (time ?? TimeProvider.System).GetUtcNow();
        var truncated = new List<Clip>();
        var missing = new List<string>();
        var pending = store.Locked((db, _) => new ClipRepository(db).ListRecording());
        foreach (var clip in pending)
        {
            var full = store.Data.ResolveInside(clip.Path);
            if (!File.Exists(full))
            {
                missing.Add(clip.Path);
                store.Locked((db, audit) =>
                {
                    using var tx = db.BeginTransaction();
                    var empty = Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));
                    new ClipRepository(db).MarkDeleted(clip.Id, empty, restart, "file missing after crash", tx);
                    audit.Append(AuditEvent.ClipDeleted(ClipStore.Actor, clip.Path, empty, "file missing after crash"), tx);
                    tx.Commit();
                    return 0;
                });
                continue;
            }
            var (sha, length, plaintext) = Measure(full);
            truncated.Add(store.SealRow(clip.Id, clip.Camera, clip.RunId, clip.Path, clip.Start, clip.End, plaintext, length, sha, ClipState.Truncated));
        }

        var dangling = store.Locked((db, _) => new RunRepository(db).ListDangling());
        foreach (var (runId, camera, _, lastFootage) in dangling)
        {
            store.EndRun(camera, runId, lastFootage, "crash");
            if (restart > lastFootage)
            {
                store.RecordGap(camera, lastFootage, restart, "service stopped unexpectedly");
            }
        }

        // A camera that was down when the service died: its gap runs on to this start.
        var openGaps = store.Locked((db, _) => new RunRepository(db).ListOpenGaps());
        foreach (var (gapId, camera, from, cause) in openGaps)
        {
            store.CloseGap(gapId, camera, from, restart, cause + "; service stopped unexpectedly");
        }

        return new ReconcileReport(truncated, missing, FindOrphans(store), dangling.Count);
    }

    /// <summary>Hash and size of the file, and the plaintext its whole chunks hold (a lower bound if it lacks its final chunk).</summary>
    private static (string Sha256, long Length, long Plaintext) Measure(string path)
    {
        using var file = File.OpenRead(path);
        var offset = AgeLayout.PayloadOffset(file) ?? file.Length;
        file.Position = 0;
        var sha = Convert.ToHexStringLower(SHA256.HashData(file));
        var payload = Math.Max(0, file.Length - offset);
        var wholeChunks = payload / AgeLayout.EncryptedChunkSize;
        return (sha, file.Length, wholeChunks * AgeLayout.ChunkSize);
    }

    private static List<string> FindOrphans(ClipStore store)
    {
        var clipsDir = store.Data.ClipsDir;
        if (!Directory.Exists(clipsDir))
        {
            return [];
        }
        var known = store.Locked((db, _) => new ClipRepository(db).AllPaths());
        return Directory.EnumerateFiles(clipsDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(store.Data.Root, f))
            .Where(rel => !known.Contains(rel))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
