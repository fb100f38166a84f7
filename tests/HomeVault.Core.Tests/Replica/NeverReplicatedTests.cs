using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Tests.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Replica;

/// <summary>
/// Local retention with a replica configured: a sealed clip the bucket does not hold yet outlives its days and the
/// disk budget; only low free space deletes it, saying "never replicated", and the replica's status counts it.
/// </summary>
[Collection(SharedS3Gateway.Name)]
public sealed class NeverReplicatedTests(S3Gateway gateway)
{
    private sealed class NoHolds : ILegalHolds
    {
        public bool IsHeld(CatalogWork work, string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd) => false;
    }

    [Fact]
    public async Task A_clip_not_yet_off_site_waits_past_its_days_and_the_budget_and_only_disk_pressure_deletes_it_saying_so()
    {
        using var bucket = new ReplicaBucket(gateway);
        var offSite = bucket.Seal("front", 0, 10_000);
        await bucket.DrainAsync();
        var waiting = bucket.Seal("front", 10, 20_000);
        var newest = bucket.Seal("front", 20, 20_000);
        var time = new ManualTime(bucket.Vault.T0.AddDays(60));
        var month = new RetentionRules(Days: 30, MaxBytes: long.MaxValue, MinFreeBytes: 0, UntilReplicated: true);
        long free = long.MaxValue;
        var sweeper = new RetentionSweeper(bucket.Clips, new NoHolds(), time, () => free);

        var byDays = sweeper.Sweep(month);
        var byBudget = sweeper.Sweep(month with { MaxBytes = 1 });

        Assert.Equal([offSite.Id], byDays.Deleted.Select(c => c.Id));
        Assert.Equal(2, byDays.WaitingForReplica);
        Assert.Empty(byBudget.Deleted);
        Assert.False(byBudget.BudgetMet);
        Assert.Equal(2, byBudget.WaitingForReplica);
        Assert.True(File.Exists(bucket.Vault.Data.ResolveInside(waiting.Path)));
        Assert.Equal(0, bucket.Backlog.NeverReplicated());

        // The disk runs short by one clip: the oldest clip not off site goes, and says it never was.
        free = 0;
        var underPressure = sweeper.Sweep(month with { MinFreeBytes = waiting.CiphertextBytes });

        Assert.Equal([waiting.Id], underPressure.Deleted.Select(c => c.Id));
        Assert.True(underPressure.BudgetMet);
        Assert.False(File.Exists(bucket.Vault.Data.ResolveInside(waiting.Path)));
        Assert.True(File.Exists(bucket.Vault.Data.ResolveInside(newest.Path)));
        var reasons = bucket.Vault.Audit.Log.GetEntries(0, (int)bucket.Vault.Audit.Log.Size())
            .Where(e => e.Event.Action == AuditActions.ClipDeleted).ToDictionary(e => e.Event.Subject, e => e.Event.Details["reason"]);
        Assert.Equal("retention: older than 30 days", reasons[offSite.Path]);
        Assert.Equal("retention: low free space; never replicated", reasons[waiting.Path]);
        Assert.Equal(1, bucket.Backlog.NeverReplicated());
        Assert.Equal(1, bucket.Backlog.Lag().Clips); // the deleted clip left the queue; the newest still waits for the bucket
        var verify = bucket.Vault.Verify();
        Assert.True(verify.Ok, verify.ToString());
    }

    [Fact]
    public void Without_a_replica_the_days_delete_as_before()
    {
        using var vault = new ClipTestVault();
        var clip = ClipTestVault.Seal(vault.Store(), "front", vault.T0, vault.T0.AddMinutes(1));

        var report = new RetentionSweeper(vault.Store(), new NoHolds(), new ManualTime(vault.T0.AddDays(60)), () => long.MaxValue)
            .Sweep(new RetentionRules(Days: 30, MaxBytes: long.MaxValue, MinFreeBytes: 0));

        Assert.Equal([clip.Id], report.Deleted.Select(c => c.Id));
        Assert.Equal(0, report.WaitingForReplica);
    }
}
