using System.Net;
using Amazon.S3;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;

namespace HomeVault.Core.Replica;

/// <summary>What one remote retention sweep did: objects deleted (clip ids), clips kept for a legal hold, deletes the store refused.</summary>
public sealed record RemoteRetentionReport(IReadOnlyList<long> Deleted, int Held, IReadOnlyList<(long ClipId, string Error)> Refused);

/// <summary>
/// Retention off site: deletes from the bucket the objects of clips that ended more than
/// <see cref="ReplicaOptions.RemoteRetentionDays"/> ago (0: the bucket keeps them), whether or not the clip is still
/// kept locally. Never one on legal hold (asked in the transaction that commits the intent, and again before a retry,
/// so a hold placed later protects it), never one uploaded less than <see cref="ReplicaOptions.ObjectLockDays"/> ago.
/// A delete the store refuses all the same (a lock set under an earlier configuration) is kept with its error and
/// tried again after <see cref="RetryRefusedAfter"/>. Each deletion: the intent committed first, then every version
/// of the object deleted, then the 'deleted' row with its clip.deleted_remote leaf; after a crash the intent is found
/// again and finished (the object already gone), so the leaf is written once.
/// </summary>
public sealed class RemoteRetention(CatalogConnection catalog, ObjectStore store, ILegalHolds holds, ReplicaOptions options, TimeProvider time)
{
    public static readonly TimeSpan RetryRefusedAfter = TimeSpan.FromHours(1);

    public async Task<RemoteRetentionReport> SweepAsync(CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var deleted = new List<long>();
        var refused = new List<(long, string)>();
        var held = 0;
        if (options.RemoteRetentionDays <= 0)
        {
            return new RemoteRetentionReport(deleted, held, refused);
        }
        var now = time.GetUtcNow();
        List<ExpiredReplica> expired;
        using (var read = catalog.Read())
        {
            expired = ReplicaCatalog.Expired(read, now.AddDays(-options.RemoteRetentionDays), now.AddDays(-(options.ObjectLockDays ?? 0)), now);
        }
        var reason = $"remote retention: older than {options.RemoteRetentionDays} days";
        foreach (var clip in expired)
        {
            if (!Intend(clip))
            {
                held++;
                continue;
            }
            try
            {
                foreach (var version in await store.VersionsAsync(clip.Key, ct).ConfigureAwait(false))
                {
                    await store.DeleteAsync(clip.Key, version == "null" ? null : version, ct).ConfigureAwait(false);
                }
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
            {
                var error = $"{ex.ErrorCode}: {ex.Message.Split('\n')[0]}";
                using var refusal = catalog.Write();
                ReplicaCatalog.DeletionRefused(refusal, clip.ClipId, error, time.GetUtcNow() + RetryRefusedAfter);
                refusal.Commit();
                refused.Add((clip.ClipId, error));
                continue;
            }
            using (var done = catalog.Write())
            {
                ReplicaCatalog.Deleted(done, clip.ClipId, time.GetUtcNow());
                done.Append(AuditEvent.ClipDeletedRemote(ClipStore.Actor, clip.Path, clip.Sha256, reason));
                done.Commit();
            }
            deleted.Add(clip.ClipId);
        }
        return new RemoteRetentionReport(deleted, held, refused);
    }

    /// <summary>Commits the intent to delete unless a hold covers the clip (then an earlier intent is dropped); false when held.</summary>
    private bool Intend(ExpiredReplica clip)
    {
        using var work = catalog.Write();
        var isHeld = holds.IsHeld(work, clip.Camera, clip.Start, clip.End);
        if (isHeld)
        {
            ReplicaCatalog.DropDeletion(work, clip.ClipId);
        }
        else
        {
            ReplicaCatalog.BeginDeletion(work, clip.ClipId);
        }
        work.Commit();
        return !isHeld;
    }
}
