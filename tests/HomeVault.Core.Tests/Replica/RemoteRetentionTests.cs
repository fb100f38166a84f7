using HomeVault.Core.Clips;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Replica;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Replica;

/// <summary>Retention off site against Ceph's RADOS Gateway on loopback, with real requests holding footage.</summary>
[Collection(SharedS3Gateway.Name)]
public sealed class RemoteRetentionTests(S3Gateway gateway)
{
    private const string Reason = "remote retention: older than 30 days";

    [Fact]
    public async Task Old_clips_leave_the_bucket_audited_once_even_when_deleted_locally_but_held_and_young_ones_stay()
    {
        using var bucket = new RetentionBucket(gateway);
        bucket.Home.Submit("front"); // pending: the evening's front footage is on legal hold
        var held = bucket.Seal("front", 0);
        var first = bucket.Seal("garden", 0);
        var second = bucket.Seal("garden", 5);
        var young = bucket.Seal("garden", bucket.Later.Now.AddDays(-2));
        var keys = await bucket.ReplicateAsync();
        // Local retention (a month; the clips are off site) deletes the unheld evening clips first: their objects stay.
        var local = new RetentionSweeper(bucket.Home.Store, new RequestLegalHolds(), bucket.Later)
            .Sweep(new RetentionRules(Days: 30, MaxBytes: long.MaxValue, MinFreeBytes: 0, UntilReplicated: true));
        Assert.Equal([first.Id, second.Id], local.Deleted.Select(c => c.Id).Order());
        Assert.Equal(4, (await bucket.KeysInBucketAsync()).Count);

        var report = await bucket.Retention().SweepAsync(CancellationToken.None);

        Assert.Equal([first.Id, second.Id], report.Deleted);
        Assert.Equal(1, report.Held);
        Assert.Empty(report.Refused);
        Assert.Equal(new[] { keys[held.Id], keys[young.Id] }.Order(StringComparer.Ordinal), (await bucket.KeysInBucketAsync()).Order(StringComparer.Ordinal));
        Assert.Equal([(first.Path, Reason), (second.Path, Reason)], bucket.RemoteDeletionEntries());
        bucket.Home.AssertLogVerifies();

        // Nothing is deleted or audited twice; `replica verify` asks only for the clips whose objects remote retention kept.
        var again = await bucket.Retention().SweepAsync(CancellationToken.None);
        Assert.Empty(again.Deleted);
        Assert.Equal(2, bucket.RemoteDeletionEntries().Count);
        var verify = await ReplicaVerifier.VerifyAsync(bucket.Home.Db, bucket.Store, ReplicaKeys.Load(bucket.Home.Db, bucket.Options.Prefix), deep: true, CancellationToken.None);
        Assert.Empty(verify.Problems);
        Assert.Equal(2, verify.Checked);
    }

    [Fact]
    public async Task A_kill_between_the_delete_and_its_audit_entry_neither_loses_the_entry_nor_writes_it_twice()
    {
        using var bucket = new RetentionBucket(gateway);
        // What a kill -9 right after the store's answer leaves: the intent committed, the object gone, no leaf.
        var (clip, key) = await bucket.ReplicatedWithDeletionBegunAsync();
        await bucket.Store.DeleteAsync(key, null, CancellationToken.None);

        var report = await bucket.Retention().SweepAsync(CancellationToken.None);

        Assert.Equal([clip.Id], report.Deleted);
        Assert.Equal([(clip.Path, Reason)], bucket.RemoteDeletionEntries());
        Assert.Equal("deleted", bucket.Deletion(clip.Id, "state"));
        Assert.Equal(2L, bucket.Deletion(clip.Id, "attempts"));
        Assert.Empty((await bucket.Retention().SweepAsync(CancellationToken.None)).Deleted);
        Assert.Single(bucket.RemoteDeletionEntries());
        bucket.Home.AssertLogVerifies();
    }

    [Fact]
    public async Task A_hold_placed_after_the_deletion_was_begun_keeps_the_object()
    {
        using var bucket = new RetentionBucket(gateway);
        // A kill -9 after the intent and before the delete; then, before the next start, a request for that footage.
        var (clip, key) = await bucket.ReplicatedWithDeletionBegunAsync();
        bucket.Home.Submit("garden");

        var report = await bucket.Retention().SweepAsync(CancellationToken.None);

        Assert.Empty(report.Deleted);
        Assert.Equal(1, report.Held);
        Assert.Contains(key, await bucket.KeysInBucketAsync());
        Assert.Null(bucket.Deletion(clip.Id, "state"));
        Assert.Empty(bucket.RemoteDeletionEntries());
    }

    [Fact]
    public async Task A_delete_the_store_refuses_for_its_lock_waits_is_retried_and_then_goes_with_one_entry()
    {
        using var bucket = new RetentionBucket(gateway, objectLock: true);
        var clip = bucket.Seal("garden", 0);
        // Uploaded locked for a day by a clock set so that the lock ends a few seconds from now; the configuration
        // no longer says ObjectLockDays, so only the store knows the object is locked.
        var lockEnds = DateTimeOffset.UtcNow.AddSeconds(6);
        var key = (await bucket.ReplicateAsync(new ManualTime(lockEnds.AddDays(-1)), lockDays: 1))[clip.Id];

        var refused = await bucket.Retention().SweepAsync(CancellationToken.None);

        var (id, error) = Assert.Single(refused.Refused);
        Assert.Equal(clip.Id, id);
        Assert.StartsWith("AccessDenied", error, StringComparison.Ordinal);
        Assert.Empty(refused.Deleted);
        Assert.Single(await bucket.Store.VersionsAsync(key, CancellationToken.None));
        Assert.Empty(bucket.RemoteDeletionEntries());
        Assert.StartsWith("AccessDenied", (string)bucket.Deletion(clip.Id, "last_error")!, StringComparison.Ordinal);
        // Not tried again before its retry time: no storm of refusals.
        var quiet = await bucket.Retention().SweepAsync(CancellationToken.None);
        Assert.Empty(quiet.Refused);
        Assert.Equal(1L, bucket.Deletion(clip.Id, "attempts"));

        // Each later sweep (an hour apart on retention's clock) tries again, until the store's lock has run out.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        RemoteRetentionReport sweep;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the delete was never accepted after the lock ended");
            bucket.Later.Advance(RemoteRetention.RetryRefusedAfter);
            sweep = await bucket.Retention().SweepAsync(CancellationToken.None);
            if (sweep.Deleted.Count == 0)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken); // poll interval
            }
        }
        while (sweep.Deleted.Count == 0);

        Assert.Equal([clip.Id], sweep.Deleted);
        Assert.Empty(await bucket.Store.VersionsAsync(key, CancellationToken.None));
        Assert.Equal([(clip.Path, Reason)], bucket.RemoteDeletionEntries());
        bucket.Home.AssertLogVerifies();
    }

    [Fact]
    public async Task A_clip_still_inside_its_configured_lock_is_not_even_tried()
    {
        using var bucket = new RetentionBucket(gateway, objectLock: true);
        var clip = bucket.Seal("garden", 0);
        await bucket.ReplicateAsync(bucket.Later, lockDays: 40); // uploaded "today" on retention's clock, locked 40 days
        bucket.Options.ObjectLockDays = 40;

        var report = await bucket.Retention().SweepAsync(CancellationToken.None);

        Assert.Empty(report.Deleted);
        Assert.Empty(report.Refused);
        Assert.Null(bucket.Deletion(clip.Id, "state"));
    }
}
