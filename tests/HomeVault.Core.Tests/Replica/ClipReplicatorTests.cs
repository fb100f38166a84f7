using HomeVault.Core.Catalog;
using HomeVault.Core.Replica;
using HomeVault.Tests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Replica;

/// <summary>The replicator against Ceph's RADOS Gateway on loopback (scripts/s3/rgw-up.sh), with real sealed clips.</summary>
[Collection(SharedS3Gateway.Name)]
public sealed class ClipReplicatorTests(S3Gateway gateway)
{
    private const int Large = (2 * ClipReplicator.PartBytes) + 123_457; // three parts

    [Fact]
    public async Task Sealed_clips_reach_the_bucket_under_opaque_keys_with_the_catalogs_hashes()
    {
        using var bucket = new ReplicaBucket(gateway);
        var clips = new[] { bucket.Seal("front-door", 0, 10_000), bucket.Seal("front-door", 10, Large), bucket.Seal("garden", 20, 70_000) };
        Assert.Equal(3, bucket.Backlog.Lag().Clips);

        var done = await bucket.DrainAsync();

        Assert.Equal(clips.Select(c => c.Id), done.Select(d => d.ClipId));
        var objects = await bucket.Store.ListAsync("", CancellationToken.None);
        Assert.Equal(3, objects.Count);
        foreach (var clip in clips)
        {
            var key = done.Single(d => d.ClipId == clip.Id).Key;
            Assert.Equal(clip.Sha256, await bucket.RemoteSha256Async(key));
            Assert.Equal(clip.CiphertextBytes, objects.Single(o => o.Key == key).Size);
            Assert.Matches("^house-7/c/[0-9a-f]{64}$", key);
            Assert.DoesNotContain(clip.Sha256!, key, StringComparison.Ordinal);
        }
        Assert.Equal(new ReplicaLag(0, 0, null), bucket.Backlog.Lag());
        Assert.Null(await bucket.Replicator().ReplicateNextAsync(CancellationToken.None));
        Assert.Equal(0, await bucket.Store.CountOpenMultipartAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task Lag_counts_the_sealed_clips_not_yet_in_the_bucket()
    {
        using var bucket = new ReplicaBucket(gateway);
        var first = bucket.Seal("front", 0, 10_000);
        var second = bucket.Seal("front", 10, 20_000);

        var lag = bucket.Backlog.Lag();

        Assert.Equal(2, lag.Clips);
        Assert.Equal(first.CiphertextBytes + second.CiphertextBytes, lag.Bytes);
        Assert.Equal(first.End, lag.OldestEnd);
        Assert.Equal(30, lag.Seconds(first.End.AddSeconds(30)));
        await bucket.Replicator().ReplicateNextAsync(CancellationToken.None);
        Assert.Equal(new ReplicaLag(1, second.CiphertextBytes, second.End), bucket.Backlog.Lag());
    }

    [Fact]
    public async Task A_store_that_goes_away_mid_upload_loses_and_duplicates_nothing_when_it_returns()
    {
        // 2 MiB/s: the second of three 8 MiB parts waits four seconds, time to take the gateway away under it.
        using var bucket = new ReplicaBucket(gateway, bandwidth: 2 << 20);
        var clip = bucket.Seal("front", 0, Large);
        var upload = bucket.Replicator().ReplicateNextAsync(CancellationToken.None);
        WaitForMultipartRecorded(bucket, clip.Id);
        gateway.StopGateway();
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
            Assert.Equal(1, bucket.Backlog.Lag().Clips);
            Assert.NotNull(Column(bucket, clip.Id, "last_error"));
        }
        finally
        {
            gateway.StartGateway();
        }
        bucket.Options.BandwidthBytesPerSecond = 0;

        var done = await bucket.DrainAsync();

        var only = Assert.Single(done);
        Assert.False(only.AlreadyThere);
        Assert.Equal(clip.Sha256, await bucket.RemoteSha256Async(only.Key));
        Assert.Single(await bucket.Store.ListAsync("", CancellationToken.None));
        Assert.Equal(0, await bucket.Store.CountOpenMultipartAsync("", CancellationToken.None));
        Assert.Equal(2L, Column(bucket, clip.Id, "attempts"));
    }

    [Fact]
    public async Task An_upload_completed_before_a_crash_could_record_it_is_taken_not_sent_again()
    {
        using var bucket = new ReplicaBucket(gateway);
        var clip = bucket.Seal("front", 0, 50_000);
        await bucket.DrainAsync();
        // What a kill -9 between the bucket's answer and the catalog's commit leaves.
        using (var cmd = bucket.Vault.Db.CreateCommand())
        {
            cmd.CommandText = "UPDATE replica_clips SET state = 'uploading', replicated_ms = NULL";
            cmd.ExecuteNonQuery();
        }

        var again = Assert.Single(await bucket.DrainAsync());

        Assert.True(again.AlreadyThere);
        Assert.Equal(clip.Id, again.ClipId);
        Assert.Single(await bucket.Store.ListAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task A_locked_clip_cannot_be_deleted_from_the_bucket()
    {
        using var bucket = new ReplicaBucket(gateway, objectLock: true, lockDays: 1);
        bucket.Seal("front", 0, 10_000);
        var key = Assert.Single(await bucket.DrainAsync()).Key;
        var version = Assert.Single(await bucket.Store.VersionsAsync(key, CancellationToken.None));

        var refused = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => bucket.Store.DeleteAsync(key, version, CancellationToken.None));

        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Single(await bucket.Store.VersionsAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task With_Object_Lock_only_the_latest_snapshot_can_be_deleted_and_a_restore_then_starts_from_the_locked_daily_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bucket = new ReplicaBucket(gateway, objectLock: true, lockDays: 1);
        var first = bucket.Seal("front", 0, 10_000);
        // Alice's identity sealed with her passphrase, as `init` leaves it (the test installation keeps it in memory only).
        const string Passphrase = "alice's passphrase";
        using (var file = File.Create(bucket.Vault.Data.OwnerIdentityPath("alice")))
        using (var recipient = new HomeVault.Core.Vault.ScryptRecipient(Passphrase, workFactor: 10))
        {
            HomeVault.Core.Vault.Age.Encrypt(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(bucket.Vault.Alice.ExportSecret())), file, [recipient]);
        }
        using var meta = MetaReplicator.For(bucket.Options, bucket.Vault.Data, bucket.Vault.Db, bucket.Store, TimeProvider.System);
        var sent = await meta.SendDueAsync(ct);
        Assert.True(sent.Keys && sent.Catalog && sent.Segment is not null, $"{sent}");
        // A clip after the day's snapshot: only the next audit segment knows it.
        var second = bucket.Seal("front", 60, 10_000);
        await bucket.DrainAsync();
        Assert.True((await meta.SendDueAsync(ct)).Segment is not null);

        var objects = await bucket.Store.ListAsync(ReplicaBucket.Prefix, ct);
        var restoreObjects = objects.Where(o => !o.Key.StartsWith(ReplicaBucket.Prefix + "c/", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, restoreObjects.Count); // o/alice's, s/keys, s/catalog, s/daily/today, a/0, a/N
        foreach (var (key, _) in objects)
        {
            var version = Assert.Single(await bucket.Store.VersionsAsync(key, ct));
            if (key == ReplicaBucket.Prefix + "s/catalog")
            {
                await bucket.Store.DeleteAsync(key, version, ct); // as a thief with the credentials would
                continue;
            }
            var refused = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => bucket.Store.DeleteAsync(key, version, ct));
            Assert.Equal("AccessDenied", refused.ErrorCode);
        }

        var target = Path.Combine(TestEnv.NewTempDir("hv-restore-daily"), "restored");
        var report = await ReplicaRestore.RunAsync(bucket.Store, ReplicaBucket.Prefix, Passphrase.ToCharArray(), target, downloadClips: true, ct);

        using var restored = CatalogDatabase.Open(Path.Combine(target, "catalog.db"));
        var paths = new ClipRepository(restored).Query().Select(c => c.Path).ToList();
        Assert.True(paths.Count == 2, $"{report}: " + string.Join(" | ", new ClipRepository(restored).Query(includeDeleted: true).Select(c => $"{c.Path} {c.State}")));
        Assert.Contains(first.Path, paths);
        Assert.Contains(second.Path, paths);
        Assert.True(File.Exists(Path.Combine(target, second.Path)), "the clip the segment after the daily snapshot names was downloaded");
    }

    [Fact]
    public async Task Verify_names_each_sealed_clip_the_bucket_lacks_and_checks_the_bytes_of_the_others()
    {
        using var bucket = new ReplicaBucket(gateway);
        bucket.Seal("front", 0, 10_000);
        await bucket.Replicator().ReplicateNextAsync(CancellationToken.None);
        var missing = bucket.Seal("garden", 10, 20_000);
        var keys = ReplicaKeys.Load(bucket.Vault.Db, ReplicaBucket.Prefix);

        var partial = await ReplicaVerifier.VerifyAsync(bucket.Vault.Db, bucket.Store, keys, deep: true, CancellationToken.None);
        await bucket.DrainAsync();
        var complete = await ReplicaVerifier.VerifyAsync(bucket.Vault.Db, bucket.Store, keys, deep: true, CancellationToken.None);

        Assert.Equal(2, partial.Checked);
        Assert.Equal([$"clip {missing.Id} (garden {missing.Start:yyyy-MM-ddTHH:mm:ssZ}, leaf {missing.AuditIndex}): not in the bucket"], partial.Problems);
        Assert.Equal(2, complete.Checked);
        Assert.Empty(complete.Problems);
    }

    private static object? Column(ReplicaBucket bucket, long clipId, string column)
    {
        using var cmd = bucket.Vault.Db.CreateCommand();
        cmd.CommandText = $"SELECT {column} FROM replica_clips WHERE clip_id = $id";
        cmd.Parameters.AddWithValue("$id", clipId);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Waits (on a connection of its own, as another process would look) until the clip's multipart upload is recorded.</summary>
    private static void WaitForMultipartRecorded(ReplicaBucket bucket, long clipId)
    {
        using var db = new SqliteConnection($"Data Source={bucket.Vault.Data.CatalogPath};Mode=ReadOnly;Pooling=false");
        db.Open();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT upload_id FROM replica_clips WHERE clip_id = $id";
            cmd.Parameters.AddWithValue("$id", clipId);
            if (cmd.ExecuteScalar() is string)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the multipart upload was never recorded");
            Thread.Sleep(20);
        }
    }
}
