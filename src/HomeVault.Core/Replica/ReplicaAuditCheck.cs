using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Replica;

/// <summary>What the bucket's audit log is against the local one: its size, and each way it is not a prefix of it.</summary>
public sealed record ReplicaAuditReport(long RemoteSize, long LocalSize, IReadOnlyList<string> Problems);

/// <summary>
/// `replica verify --audit`: opens the bucket's audit segments with an owner's identity and checks that they are a
/// prefix of the local log: no entries missing between segments, every entry the same bytes as the local one, and the
/// last segment's signed checkpoint one the local log is consistent with (<see cref="AuditLog.CheckConsistency"/>).
/// Entries not sent yet are lag, not a problem; the report says how many.
/// </summary>
public static class ReplicaAuditCheck
{
    public static async Task<ReplicaAuditReport> RunAsync(AuditLog local, ObjectStore store, ReplicaLayout layout, X25519Identity identity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layout);
        var localSize = local.Size();
        var problems = new List<string>();
        var segments = (await store.ListAsync(layout.AuditPrefix, ct).ConfigureAwait(false))
            .Select(o => (First: layout.SegmentFirst(o.Key), o.Key)).Where(s => s.First is not null).OrderBy(s => s.First).ToList();
        long next = 0;
        string? lastNote = null;
        foreach (var (first, key) in segments)
        {
            if (first > next)
            {
                problems.Add($"audit entries {next}..{first - 1} are in no segment in the bucket");
            }
            AuditSegment segment;
            try
            {
                using var body = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
                segment = AuditSegment.Decode(Sealed.Open(identity, body, $"audit segment {first}"));
            }
            catch (Exception ex) when (ex is InvalidDataException or UserError)
            {
                problems.Add($"audit segment {key}: {ex.Message}");
                continue;
            }
            for (var i = 0; i < segment.Entries.Count && segment.First + i < localSize; i++)
            {
                var index = segment.First + i;
                if (!CryptographicOperations.FixedTimeEquals(MerkleHash.Leaf(segment.Entries[i]), local.GetEntry(index).LeafHash.Span))
                {
                    problems.Add($"audit entry {index}: the bucket's differs from the local one");
                }
            }
            next = Math.Max(next, segment.Next);
            lastNote = segment.CheckpointNote;
        }
        if (lastNote is null)
        {
            problems.Add("the bucket holds no audit segment");
        }
        else if (local.CheckConsistency(lastNote) is { Status: not ConsistencyStatus.Consistent } result)
        {
            problems.Add($"the bucket's latest audit checkpoint: {result.Message}");
        }
        return new ReplicaAuditReport(next, localSize, problems);
    }
}
