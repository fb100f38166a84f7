using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>A clip the bucket now holds.</summary>
public sealed record ReplicatedClip(long ClipId, string Key, long Bytes, bool AlreadyThere);

/// <summary>
/// Uploads the oldest sealed clip the bucket lacks, as one immutable object under an opaque key: one PUT up to
/// <see cref="PartBytes"/>, a multipart upload of such parts beyond. Every body carries its Content-MD5 (the server
/// refuses one that does not match) and the returned ETag is checked against it; the SHA-256 of the bytes read from
/// the file must equal the catalog's, or nothing is completed. A multipart upload is recorded before its first part,
/// so one a crash or an outage interrupted is aborted by the next attempt, which starts over; an object already under
/// the key (the last attempt completed it but crashed before recording so) is taken, not sent twice.
/// </summary>
public sealed class ClipReplicator(DataDirectory data, ReplicaBacklog queue, ReplicaKeys keys, ObjectStore store, Throttle throttle, int? objectLockDays, TimeProvider time)
{
    public const int PartBytes = 8 * 1024 * 1024;

    // Two part buffers for the replicator's life, made at its first upload: one part is read and hashed while the other
    // is on the wire. Made anew for each clip they were 16 MiB of large-object garbage a clip, which let the recorder's
    // memory grow by 100-200 MB at 8 cameras (bench/README.md, "Replica").
    private byte[][]? _buffers;

    /// <summary>The replicator of <paramref name="options"/>' bucket over the catalog connection <paramref name="db"/>, as `serve` and `replica sync` run it.</summary>
    public static ClipReplicator For(ReplicaOptions options, DataDirectory data, SqliteConnection db, ObjectStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(data, new ReplicaBacklog(db), ReplicaKeys.Load(db, options.Prefix), store, new Throttle(options.BandwidthBytesPerSecond, time), options.ObjectLockDays, time);
    }

    /// <summary>Replicates one clip; null when none is pending. Throws (after recording the error) when the store or the file fails.</summary>
    public async Task<ReplicatedClip?> ReplicateNextAsync(CancellationToken ct)
    {
        if (queue.Next() is not { } clip)
        {
            return null;
        }
        var key = keys.Clip(clip.Sha256);
        try
        {
            if (clip.UploadId is { } interrupted)
            {
                await store.AbortMultipartAsync(clip.UploadKey!, interrupted, ct).ConfigureAwait(false);
                queue.SetUpload(clip.ClipId, null);
            }
            queue.Attempt(clip.ClipId, key);
            var there = (await store.HeadAsync(key, ct).ConfigureAwait(false))?.Size;
            if (there is { } size && size != clip.CiphertextBytes)
            {
                throw new InvalidDataException($"the bucket holds {size} bytes under clip {clip.ClipId}'s key, the catalog says {clip.CiphertextBytes}");
            }
            if (there is null)
            {
                await UploadAsync(clip, key, ct).ConfigureAwait(false);
            }
            queue.Replicated(clip.ClipId, time.GetUtcNow());
            return new ReplicatedClip(clip.ClipId, key, clip.CiphertextBytes, there is not null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            queue.Failed(clip.ClipId, ex.Message.Split('\n')[0]);
            throw;
        }
    }

    private async Task UploadAsync(PendingClip clip, string key, CancellationToken ct)
    {
        using var file = new FileStream(data.ResolveInside(clip.Path), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (file.Length != clip.CiphertextBytes)
        {
            throw new InvalidDataException($"clip {clip.ClipId}'s file is {file.Length} bytes, the catalog says {clip.CiphertextBytes}");
        }
        var lockUntil = objectLockDays is { } days ? time.GetUtcNow().AddDays(days) : (DateTimeOffset?)null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffers = _buffers ??= [new byte[PartBytes], new byte[PartBytes]];
        if (clip.CiphertextBytes <= PartBytes)
        {
            var (body, bodyMd5) = await ReadPartAsync(file, buffers[0], sha, ct).ConfigureAwait(false);
            CheckHash(clip, sha);
            await throttle.BeforeSendingAsync(body.Length, ct).ConfigureAwait(false);
            var etag = await store.PutAsync(key, body, Convert.ToBase64String(bodyMd5), lockUntil, ct).ConfigureAwait(false);
            CheckETag(clip, etag, Convert.ToHexStringLower(bodyMd5));
            return;
        }
        var uploadId = await store.BeginMultipartAsync(key, lockUntil, ct).ConfigureAwait(false);
        queue.SetUpload(clip.ClipId, uploadId);
        var etags = new List<string>();
        using var partMd5s = new MemoryStream();
        var (part, md5) = await ReadPartAsync(file, buffers[0], sha, ct).ConfigureAwait(false);
        while (part.Length > 0)
        {
            await throttle.BeforeSendingAsync(part.Length, ct).ConfigureAwait(false);
            var sending = store.PutPartAsync(key, uploadId, etags.Count + 1, part, Convert.ToBase64String(md5), ct);
            // The next part is read and hashed while this one is on the wire (the SHA-256 still sees the parts in order).
            var next = await ReadPartAsync(file, buffers[(etags.Count + 1) % 2], sha, ct).ConfigureAwait(false);
            var etag = await sending.ConfigureAwait(false);
            if (!string.Equals(etag, Convert.ToHexStringLower(md5), StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"the bucket's ETag for part {etags.Count + 1} of clip {clip.ClipId} does not match what was sent");
            }
            partMd5s.Write(md5);
            etags.Add(etag);
            (part, md5) = next;
        }
        CheckHash(clip, sha);
        await store.CompleteMultipartAsync(key, uploadId, etags, ct).ConfigureAwait(false);
        // S3's multipart ETag: MD5 of the parts' MD5s, a dash, the number of parts.
        var whole = await store.HeadAsync(key, ct).ConfigureAwait(false);
        CheckETag(clip, whole?.ETag ?? "(no object)", $"{Convert.ToHexStringLower(S3Md5.Of(partMd5s.ToArray()))}-{etags.Count}");
    }

    /// <summary>The next part of the file into <paramref name="buffer"/>, added to the whole file's SHA-256, with its own MD5; empty at the end.</summary>
    private static async Task<(ReadOnlyMemory<byte> Part, byte[] Md5)> ReadPartAsync(FileStream file, byte[] buffer, IncrementalHash sha, CancellationToken ct)
    {
        var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var part = buffer.AsMemory(0, read);
        sha.AppendData(part.Span);
        return (part, S3Md5.Of(part.Span));
    }

    private static void CheckHash(PendingClip clip, IncrementalHash sha)
    {
        if (!string.Equals(Convert.ToHexStringLower(sha.GetCurrentHash()), clip.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"clip {clip.ClipId}'s file does not match its catalog SHA-256; not replicated");
        }
    }

    private static void CheckETag(PendingClip clip, string etag, string expected)
    {
        if (!string.Equals(etag, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"the bucket's ETag for clip {clip.ClipId} is {etag}, expected {expected}");
        }
    }
}
