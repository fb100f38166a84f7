using System.Security.Cryptography;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>What a download of clips from the bucket did: clips written, their bytes, and a line for each it could not.</summary>
public sealed record ClipDownloadReport(int Written, long Bytes, int AlreadyThere, IReadOnlyList<string> Problems);

/// <summary>
/// Downloads sealed clips (still age files: nothing is decrypted) from the bucket into a restored data directory, each
/// to a temporary name, its SHA-256 checked against the catalog's before it is fsynced and renamed into place, so a
/// file under the clip's path is always the whole clip. A clip whose file is already there is left alone.
/// </summary>
public static class ClipDownloads
{
    /// <param name="ids">The clips to fetch; null for every sealed clip.</param>
    public static async Task<ClipDownloadReport> RunAsync(DataDirectory data, SqliteConnection db, ObjectStore store, ReplicaKeys keys, IReadOnlySet<long>? ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        var clips = new ClipRepository(db).Query();
        var problems = new List<string>();
        if (ids is not null)
        {
            problems.AddRange(ids.Where(id => !clips.Any(c => c.Id == id)).Order().Select(id => $"clip {id}: no sealed clip has this id"));
        }
        var (written, bytes, there) = (0, 0L, 0);
        foreach (var clip in clips.Where(c => ids is null || ids.Contains(c.Id)))
        {
            var path = data.ResolveInside(clip.Path);
            if (File.Exists(path))
            {
                there++;
                continue;
            }
            var what = $"clip {clip.Id} ({clip.Camera} {clip.Start:yyyy-MM-ddTHH:mm:ssZ})";
            if (await store.HeadAsync(keys.Clip(clip.Sha256!), ct).ConfigureAwait(false) is null)
            {
                problems.Add($"{what}: not in the bucket");
                continue;
            }
            IO.Durable.CreatePrivateDirectory(Path.GetDirectoryName(path)!);
            var part = path + ".part";
            File.Delete(part);
            string sha;
            await using (var body = await store.OpenReadAsync(keys.Clip(clip.Sha256!), ct).ConfigureAwait(false))
            await using (var file = IO.Durable.CreateForStreaming(part))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                }
                file.Flush(flushToDisk: true);
                sha = Convert.ToHexStringLower(hash.GetCurrentHash());
            }
            if (!string.Equals(sha, clip.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(part);
                problems.Add($"{what}: the bucket's bytes do not match the catalog's SHA-256");
                continue;
            }
            File.Move(part, path);
            IO.Durable.SyncDirectory(Path.GetDirectoryName(path)!);
            written++;
            bytes += clip.CiphertextBytes;
        }
        return new ClipDownloadReport(written, bytes, there, problems);
    }
}
