using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Clips;

public sealed class RetentionSweeperTests : IDisposable
{
    private readonly ClipTestVault _vault = new();

    public void Dispose() => _vault.Dispose();

    private sealed class Holds(params (string Camera, DateTimeOffset From, DateTimeOffset To)[] windows) : ILegalHolds
    {
        public bool IsHeld(CatalogWork work, string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd) =>
            windows.Any(w => w.Camera == camera && clipStart < w.To && clipEnd > w.From);
    }

    private static readonly RetentionRules Generous = new(Days: 30, MaxBytes: long.MaxValue, MinFreeBytes: 0);

    [Fact]
    public void Old_clips_go_oldest_first_per_camera_days_but_held_footage_stays()
    {
        var store = _vault.Store();
        var t0 = _vault.T0;
        var oldFront = ClipTestVault.Seal(store, "front", t0, t0.AddMinutes(1));
        var heldFront = ClipTestVault.Seal(store, "front", t0.AddMinutes(1), t0.AddMinutes(2));
        var oldBack = ClipTestVault.Seal(store, "back", t0, t0.AddMinutes(1));
        var recent = ClipTestVault.Seal(store, "front", t0.AddDays(20), t0.AddDays(20).AddMinutes(1));
        var time = new ManualTime(t0.AddDays(21));
        var holds = new Holds(("front", t0.AddMinutes(1.5), t0.AddMinutes(1.7)));
        var rules = Generous with { Days = 30, CameraDays = new Dictionary<string, int> { ["front"] = 7 } };

        var report = new RetentionSweeper(store, holds, time).Sweep(rules);

        Assert.Equal([oldFront.Path], report.Deleted.Select(c => c.Path));
        Assert.Equal(1, report.HeldClipsKept);
        Assert.False(File.Exists(Path.Combine(_vault.Data.Root, oldFront.Path)));
        foreach (var kept in new[] { heldFront, oldBack, recent })
        {
            Assert.True(File.Exists(Path.Combine(_vault.Data.Root, kept.Path)), kept.Path);
        }
        var deletedRow = new ClipRepository(_vault.Db).Query(includeDeleted: true).Single(c => c.Id == oldFront.Id);
        Assert.Equal(ClipState.Deleted, deletedRow.State);
        var verify = _vault.Verify();
        Assert.True(verify.Ok, verify.ToString());
        var deletion = _vault.Audit.Log.GetEntries(0, 100).Single(e => e.Event.Action == AuditActions.ClipDeleted);
        Assert.Equal("retention: older than 7 days", deletion.Event.Details["reason"]);
    }

    [Fact]
    public void Disk_budget_and_free_space_delete_oldest_until_met_skipping_holds()
    {
        var store = _vault.Store();
        var t0 = _vault.T0;
        var clips = Enumerable.Range(0, 6).Select(i => ClipTestVault.Seal(store, "front", t0.AddMinutes(i), t0.AddMinutes(i + 1), 100_000)).ToList();
        var each = clips[0].CiphertextBytes;
        var holds = new Holds(("front", t0.AddMinutes(0.5), t0.AddMinutes(0.6)));
        var sweeper = new RetentionSweeper(store, holds, new ManualTime(t0.AddHours(1)), () => long.MaxValue);

        var report = sweeper.Sweep(Generous with { MaxBytes = (each * 3) + 10 });

        Assert.True(report.BudgetMet);
        Assert.Equal([clips[1].Path, clips[2].Path, clips[3].Path], report.Deleted.Select(c => c.Path));
        Assert.Equal(1, report.HeldClipsKept);
        Assert.Equal(each * 3, report.BytesFreed);

        // Free space short by more than everything deletable: all unheld go, the held one stays, and it says so.
        var free = 0L;
        var starving = new RetentionSweeper(store, holds, new ManualTime(t0.AddHours(1)), () => free);
        var second = starving.Sweep(Generous with { MinFreeBytes = long.MaxValue / 2 });
        Assert.False(second.BudgetMet);
        Assert.Equal([clips[4].Path, clips[5].Path], second.Deleted.Select(c => c.Path));
        Assert.Equal([clips[0].Path], new ClipRepository(_vault.Db).Query().Select(c => c.Path));
        var verify = _vault.Verify();
        Assert.True(verify.Ok, verify.ToString());
    }

    [Fact]
    public void A_file_left_behind_after_a_logged_deletion_is_removed_next_sweep()
    {
        var store = _vault.Store();
        var clip = ClipTestVault.Seal(store, "front", _vault.T0, _vault.T0.AddMinutes(1));
        var full = Path.Combine(_vault.Data.Root, clip.Path);
        var copy = File.ReadAllBytes(full);
        new RetentionSweeper(store, new Holds(), new ManualTime(_vault.T0.AddDays(60))).Sweep(Generous);
        File.WriteAllBytes(full, copy); // as if the crash came between commit and unlink
        var report = new RetentionSweeper(store, new Holds(), new ManualTime(_vault.T0.AddDays(60))).Sweep(Generous);
        Assert.Empty(report.Deleted);
        Assert.False(File.Exists(full));
    }

    /// <summary>A hold that appears between the sweeper's first look and its delete (another process's request).</summary>
    private sealed class LateHold : ILegalHolds
    {
        public bool IsHeld(CatalogWork work, string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd) => work.Transaction is not null;
    }

    [Fact]
    public void A_hold_placed_after_the_first_look_still_saves_the_clip()
    {
        var store = _vault.Store();
        var clip = ClipTestVault.Seal(store, "front", _vault.T0, _vault.T0.AddMinutes(1));
        var report = new RetentionSweeper(store, new LateHold(), new ManualTime(_vault.T0.AddDays(60))).Sweep(Generous);
        Assert.Empty(report.Deleted);
        Assert.Equal(1, report.HeldClipsKept);
        Assert.True(File.Exists(Path.Combine(_vault.Data.Root, clip.Path)));
    }

    [Fact]
    public void Catalog_paths_outside_the_data_directory_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => _vault.Data.ResolveInside("../../etc/passwd"));
        Assert.Throws<InvalidDataException>(() => _vault.Data.ResolveInside("/etc/passwd"));
        Assert.Equal(Path.Combine(_vault.Data.Root, "clips", "a.age"), _vault.Data.ResolveInside("clips/a.age"));
    }
}
