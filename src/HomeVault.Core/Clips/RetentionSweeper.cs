using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;

namespace HomeVault.Core.Clips;

/// <summary>
/// Deletes the oldest footage first: clips past their camera's days, then more while the clips
/// exceed the disk budget or the file system runs short of free space. A clip on legal hold is
/// never deleted. Each deletion is committed (row marked deleted + clip.deleted leaf) before the
/// file is removed, so a crash in between leaves a file to sweep again, never an unlogged loss.
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
        using (var work = store.Catalog.Read())
        {
            live = work.Clips.Query();
        }
        var deleted = new List<Clip>();
        var held = new HashSet<long>();
        long freed = 0;

        foreach (var clip in live)
        {
            var days = rules.DaysFor(clip.Camera);
            if (clip.End >= now.AddDays(-days))
            {
                continue;
            }
            if (TryDelete(clip, $"retention: older than {days} days", now) is not { } bytesFreed)
            {
                held.Add(clip.Id);
                continue;
            }
            freed += bytesFreed;
            deleted.Add(clip);
        }

        var deletedIds = deleted.Select(c => c.Id).ToHashSet();
        var remaining = live.Where(c => !deletedIds.Contains(c.Id)).ToList();
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
            if (TryDelete(clip, reason, now) is not { } bytes)
            {
                held.Add(clip.Id);
                continue;
            }
            total -= clip.CiphertextBytes;
            freeNow = freeNow > long.MaxValue - bytes ? long.MaxValue : freeNow + bytes;
            freed += bytes;
            deleted.Add(clip);
        }
        return new RetentionReport(deleted, freed, held.Count, !OverBudget());
    }

    /// <summary>
    /// Deletes one clip unless a hold covers it, asking inside the deleting transaction (BEGIN
    /// IMMEDIATE takes the write lock), so a request recorded by another process until the very
    /// moment of deletion still saves the footage. Returns the bytes freed, or null when it was held.
    /// </summary>
    private long? TryDelete(Clip clip, string reason, DateTimeOffset now)
    {
        using (var work = store.Catalog.Write())
        {
            if (holds.IsHeld(work, clip.Camera, clip.Start, clip.End))
            {
                return null;
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
