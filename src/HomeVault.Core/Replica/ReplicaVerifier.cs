using System.Security.Cryptography;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>What `replica verify` found: sealed clips checked, and each one the bucket lacks or holds wrong, a line each.</summary>
public sealed record ReplicaVerification(int Checked, IReadOnlyList<string> Problems);

/// <summary>
/// Checks that the bucket holds every sealed clip of the catalog (each of which `audit verify` ties to its audit
/// leaf and its hash) but those remote retention deleted: an object under the clip's key of the clip's size, and with <c>deep</c> its bytes re-read and
/// their SHA-256 compared with the catalog's.
/// </summary>
public static class ReplicaVerifier
{
    public static async Task<ReplicaVerification> VerifyAsync(SqliteConnection db, ObjectStore store, ReplicaKeys keys, bool deep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        var clips = WithoutRemotelyDeleted(db, new ClipRepository(db).Query());
        var remote = (await store.ListAsync(keys.ClipsPrefix, ct).ConfigureAwait(false)).ToDictionary(o => o.Key, o => o.Size, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var clip in clips)
        {
            var key = keys.Clip(clip.Sha256!);
            var what = $"clip {clip.Id} ({clip.Camera} {clip.Start:yyyy-MM-ddTHH:mm:ssZ}, leaf {clip.AuditIndex})";
            if (!remote.TryGetValue(key, out var size))
            {
                problems.Add($"{what}: not in the bucket");
            }
            else if (size != clip.CiphertextBytes)
            {
                problems.Add($"{what}: the bucket holds {size} bytes, the catalog {clip.CiphertextBytes}");
            }
            else if (deep)
            {
                var body = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, ct).ConfigureAwait(false));
                    if (!string.Equals(sha, clip.Sha256, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{what}: the bucket's bytes do not match the catalog's SHA-256");
                    }
                }
            }
        }
        return new ReplicaVerification(clips.Count, problems);
    }

    /// <summary>The clips whose objects remote retention has not deleted (audited as clip.deleted_remote): only those must be in the bucket.</summary>
    private static List<Clip> WithoutRemotelyDeleted(SqliteConnection db, IReadOnlyList<Clip> clips)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT clip_id FROM replica_deletions WHERE state = 'deleted'";
        using var r = cmd.ExecuteReader();
        var gone = new HashSet<long>();
        while (r.Read())
        {
            gone.Add(r.GetInt64(0));
        }
        return [.. clips.Where(c => !gone.Contains(c.Id))];
    }
}
