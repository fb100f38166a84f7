using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;
using HomeVault.Core.Replica;

namespace HomeVault.Core.Clips;

/// <summary>
/// Deletes the oldest footage first: clips past their camera's days, then more while the clips
/// exceed the disk budget or the file system runs short of free space. A clip on legal hold is
/// never deleted. Each deletion is committed (row marked deleted + clip.deleted leaf) before the
/// file is removed, so a crash in between leaves a file to sweep again, never an unlogged loss.
/// With <see cref="RetentionRules.UntilReplicated"/>, a clip the bucket does not hold yet waits for it past its
/// days and the disk budget; under low free space the replicated clips go first, and one never replicated only
/// when nothing else is left, its deletion saying so (and counted in the replica's status).
/// </summary>
public sealed class RetentionSweeper(ClipStore store, ILegalHolds holds, TimeProvider? time = null, Func<long>? freeBytes = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Func<long> _freeBytes = freeBytes ?? (() => Durable.FreeBytes(store.Data.Root));

    public RetentionReport Sweep(RetentionRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var now = _time.GetUtcNow();
        RemoveLeftoverFiles();
        IReadOnlyList<Clip> live;
        HashSet<long> offSite = [];
        using (var work = store.Catalog.Read())
        {
            live = work.Clips.Query();
            if (rules.UntilReplicated)
            {
                offSite = ReplicaCatalog.ReplicatedIds(work);
            }
        }
        bool Unreplicated(Clip clip) => rules.UntilReplicated && !offSite.Contains(clip.Id);
        var deleted = new List<Clip>();
        var held = new HashSet<long>();
        var waiting = new HashSet<long>();
        long freed = 0;

        foreach (var clip in live)
        {
            var days = rules.DaysFor(clip.Camera);
            if (clip.End >= now.AddDays(-days))
            {
                continue;
            }
            if (Unreplicated(clip))
            {
                waiting.Add(clip.Id);
                continue;
            }
            if (TryDelete(clip, $"retention: older than {days} days", now, rules) is not { } bytesFreed)
            {
                held.Add(clip.Id);
                continue;
            }
            freed += bytesFreed;
            deleted.Add(clip);
        }

        var deletedIds = deleted.Select(c => c.Id).ToHashSet();
        // Under pressure the clips the bucket holds go first (stable: oldest first within each).
        var remaining = live.Where(c => !deletedIds.Contains(c.Id)).OrderBy(Unreplicated).ToList();
        var total = remaining.Sum(c => c.CiphertextBytes);
        var freeNow = _freeBytes();
        bool OverBudget() => total > rules.MaxBytes || freeNow < rules.MinFreeBytes;
        foreach (var clip in remaining)
        {
            if (!OverBudget())
            {
                break;
            }
            var reason = total > rules.MaxBytes ? "retention: disk budget exceeded" : "retention: low free space";
            if (Unreplicated(clip))
            {
                // Only disk pressure deletes footage that is not off site yet.
                if (freeNow >= rules.MinFreeBytes)
                {
                    waiting.Add(clip.Id);
                    continue;
                }
                reason = "retention: low free space";
            }
            if (TryDelete(clip, reason, now, rules) is not { } bytes)
            {
                held.Add(clip.Id);
                continue;
            }
            total -= clip.CiphertextBytes;
            freeNow = freeNow > long.MaxValue - bytes ? long.MaxValue : freeNow + bytes;
            freed += bytes;
            deleted.Add(clip);
        }
        waiting.ExceptWith(deleted.Select(c => c.Id));
        return new RetentionReport(deleted, freed, held.Count, !OverBudget(), waiting.Count);
    }

    /// <summary>
    /// Deletes one clip unless a hold covers it, asking inside the deleting transaction (BEGIN
    /// IMMEDIATE takes the write lock), so a request recorded by another process until the very
    /// moment of deletion still saves the footage. Returns the bytes freed, or null when it was held.
    /// </summary>
    private long? TryDelete(Clip clip, string reason, DateTimeOffset now, RetentionRules rules)
    {
        using (var work = store.Catalog.Write())
        {
            if (holds.IsHeld(work, clip.Camera, clip.Start, clip.End))
            {
                return null;
            }
            if (rules.UntilReplicated && !ReplicaCatalog.IsReplicated(work, clip.Id))
            {
                reason += "; never replicated";
                ReplicaCatalog.RecordNeverReplicated(work, clip.Id, now);
            }
            work.Clips.MarkDeleted(clip.Id, clip.Sha256!, now, reason);
            work.Append(AuditEvent.ClipDeleted(ClipStore.Actor, clip.Path, clip.Sha256!, reason));
            work.Commit();
        }
        return RemoveFile(clip.Path);
    }

    private long RemoveFile(string relative)
    {
        var full = store.Data.ResolveInside(relative);
        if (!File.Exists(full))
        {
            return 0;
        }
        var length = new FileInfo(full).Length;
        File.Delete(full);
        Durable.SyncDirectory(Path.GetDirectoryName(full)!);
        return length;
    }

    /// <summary>Files of clips already logged as deleted (a crash between commit and unlink).</summary>
    private void RemoveLeftoverFiles()
    {
        List<string> deletedPaths;
        using (var work = store.Catalog.Read())
        {
            deletedPaths = work.Clips.Query(includeDeleted: true).Where(c => c.State == ClipState.Deleted).Select(c => c.Path).ToList();
        }
        foreach (var path in deletedPaths)
        {
            RemoveFile(path);
        }
    }
}
