using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace HomeVault.Core.Replica;

/// <summary>
/// The bucket, through AWSSDK.S3 (it publishes and runs under Native AOT; README "Replica"): path-style requests to
/// any S3-compatible endpoint, and no default flexible checksums, which older servers (Ceph 16.2) reject or ignore:
/// integrity is Content-MD5 on every body (the server refuses one that does not match) and the ETag it returns.
/// </summary>
public sealed class ObjectStore : IDisposable
{
    private readonly AmazonS3Client _s3;

    public ObjectStore(ReplicaOptions options, ReplicaCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        Bucket = options.Bucket;
        var config = new AmazonS3Config
        {
            ServiceURL = options.Endpoint,
            AuthenticationRegion = options.Region,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The replicator retries with its own backoff; a request fails fast when the store is away.
            MaxErrorRetry = 1,
            Timeout = TimeSpan.FromMinutes(2),
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey), config);
    }

    public string Bucket { get; }

    /// <summary>The object's size and ETag (without quotes), or null when there is none.</summary>
    public async Task<(long Size, string ETag)?> HeadAsync(string key, CancellationToken ct)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct).ConfigureAwait(false);
            return (head.ContentLength, head.ETag?.Trim('"') ?? "");
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>One PUT; returns the ETag without quotes.</summary>
    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> body, string md5Base64, DateTimeOffset? lockUntil, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket, Key = key, InputStream = Body(body), MD5Digest = md5Base64,
            ContentType = "application/octet-stream",
        };
        Lock(request, lockUntil);
        var response = await _s3.PutObjectAsync(request, ct).ConfigureAwait(false);
        return response.ETag.Trim('"');
    }

    public async Task<string> BeginMultipartAsync(string key, DateTimeOffset? lockUntil, CancellationToken ct)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = "application/octet-stream" };
        if (lockUntil is { } until)
        {
            request.ObjectLockMode = ObjectLockMode.Compliance;
            request.ObjectLockRetainUntilDate = until.UtcDateTime;
        }
        var response = await _s3.InitiateMultipartUploadAsync(request, ct).ConfigureAwait(false);
        return response.UploadId;
    }

    /// <summary>One part; returns its ETag without quotes.</summary>
    public async Task<string> PutPartAsync(string key, string uploadId, int number, ReadOnlyMemory<byte> body, string md5Base64, CancellationToken ct)
    {
        var response = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = Body(body), MD5Digest = md5Base64,
        }, ct).ConfigureAwait(false);
        return response.ETag.Trim('"');
    }

    /// <summary>Completes a multipart upload (Ceph 16.2's answer has no ETag the SDK reads: <see cref="HeadAsync"/> has it).</summary>
    public async Task CompleteMultipartAsync(string key, string uploadId, IReadOnlyList<string> partETags, CancellationToken ct) =>
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = key, UploadId = uploadId,
            PartETags = [.. partETags.Select((etag, i) => new PartETag(i + 1, etag))],
        }, ct).ConfigureAwait(false);

    /// <summary>Aborts a multipart upload; one that is already gone (completed or aborted) is no error.</summary>
    public async Task AbortMultipartAsync(string key, string uploadId, CancellationToken ct)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Multipart uploads begun and neither completed nor aborted, under <paramref name="prefix"/>.</summary>
    public async Task<int> CountOpenMultipartAsync(string prefix, CancellationToken ct)
    {
        var response = await _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = prefix }, ct).ConfigureAwait(false);
        return response.MultipartUploads?.Count ?? 0;
    }

    /// <summary>Every object key under <paramref name="prefix"/> with its size.</summary>
    public async Task<IReadOnlyList<(string Key, long Size)>> ListAsync(string prefix, CancellationToken ct)
    {
        var all = new List<(string, long)>();
        string? token = null;
        do
        {
            var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = token }, ct).ConfigureAwait(false);
            all.AddRange((page.S3Objects ?? []).Select(o => (o.Key, o.Size ?? 0)));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return all;
    }

    /// <summary>The object's bytes, streamed.</summary>
    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, ct).ConfigureAwait(false);
        return response.ResponseStream;
    }

    /// <summary>Deletes the object's current version (a locked one is refused with <see cref="AmazonS3Exception"/>).</summary>
    public async Task DeleteAsync(string key, string? versionId, CancellationToken ct) =>
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key, VersionId = versionId }, ct).ConfigureAwait(false);

    /// <summary>The object's versions (with Object Lock on, a delete only adds a marker; the locked version stays).</summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(string key, CancellationToken ct)
    {
        var response = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Prefix = key }, ct).ConfigureAwait(false);
        return [.. (response.Versions ?? []).Where(v => v.Key == key && v.IsDeleteMarker != true).Select(v => v.VersionId)];
    }

    /// <summary>Creates the bucket (with Object Lock enabled when asked: only possible at creation).</summary>
    public async Task CreateBucketAsync(bool objectLock, CancellationToken ct) =>
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, ObjectLockEnabledForBucket = objectLock }, ct).ConfigureAwait(false);

    private static MemoryStream Body(ReadOnlyMemory<byte> body) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    private static void Lock(PutObjectRequest request, DateTimeOffset? lockUntil)
    {
        if (lockUntil is { } until)
        {
            request.ObjectLockMode = ObjectLockMode.Compliance;
            request.ObjectLockRetainUntilDate = until.UtcDateTime;
        }
    }

    public void Dispose() => _s3.Dispose();
}
