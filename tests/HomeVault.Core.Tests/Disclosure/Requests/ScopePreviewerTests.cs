using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Tests.Disclosure.Requests;

public sealed class ScopePreviewerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 19, 20, 0, 0, TimeSpan.Zero);
    private readonly Household _home = new(owners: 1);
    private int _n;

    private static DateTimeOffset At(double minutes) => T0.AddMilliseconds(Math.Round(minutes * 60_000));

    public void Dispose() => _home.Dispose();

    private void Clip(string camera, double fromMin, double toMin, long bytes = 1000, ClipState state = ClipState.Complete) =>
        new ClipRepository(_home.Db).Add(_home.CameraIds[camera], null, $"clips/{camera}/{_n++}.age", At(fromMin), At(toMin),
            bytes - 100, bytes, new string('e', 64), state);

    private void Gap(string camera, double fromMin, double? toMin, string cause) =>
        new RunRepository(_home.Db).AddGap(_home.CameraIds[camera], At(fromMin), toMin is { } t ? At(t) : null, cause);

    [Fact]
    public void Counts_clips_clipped_minutes_bytes_and_gaps_per_camera()
    {
        Clip("front", -5, 5);          // half inside: 5 minutes count, whole file's bytes
        Clip("front", 5, 15);
        Clip("front", 15.02, 30);      // 1.2 s hole: jitter, not a gap
        Clip("front", 40, 60);         // 10 minute hole before it
        Clip("front", 60, 70, state: ClipState.Truncated);
        Clip("front", 70, 80, state: ClipState.Deleted); // deleted: not footage
        Clip("front", 125, 130);       // after the window
        Clip("back", 0, 120);          // camera not in scope
        Gap("front", 100, null, "stall");    // open gap: reaches the window's end; the hole before it is inferred

        var preview = new ScopePreviewer(_home.Db).Preview(["front", "drive"], T0, T0.AddHours(2));

        var front = preview.Cameras.Single(c => c.Camera == "front");
        Assert.Equal(5, front.Clips);
        Assert.Equal(TimeSpan.FromMinutes(5 + 10 + 14.98 + 20 + 10), front.Footage);
        Assert.Equal(59.98, front.Minutes, 6);
        Assert.Equal(5000, front.CiphertextBytes);
        Assert.Equal(4500, front.PlaintextBytes);
        Assert.Equal(
            [
                new FootageGap(T0.AddMinutes(30), T0.AddMinutes(40), FootageGap.NoClipCause, false),
                new FootageGap(T0.AddMinutes(70), T0.AddMinutes(100), FootageGap.NoClipCause, false),
                new FootageGap(T0.AddMinutes(100), T0.AddMinutes(120), "stall", true),
            ],
            front.Gaps);

        var drive = preview.Cameras.Single(c => c.Camera == "drive");
        Assert.Equal((0, TimeSpan.Zero, 0L), (drive.Clips, drive.Footage, drive.CiphertextBytes));
        Assert.Equal([new FootageGap(T0, T0.AddHours(2), FootageGap.NoClipCause, false)], drive.Gaps);

        Assert.Equal(["drive", "front"], preview.Cameras.Select(c => c.Camera));
        Assert.Equal(5, preview.TotalClips);
        Assert.Equal(5000, preview.TotalCiphertextBytes);
    }

    [Fact]
    public void Overlapping_clips_are_counted_once_and_recorded_gaps_are_clipped()
    {
        Clip("drive", 0, 30);
        Clip("drive", 20, 60);
        Clip("drive", 62, 120);
        Gap("drive", -30, 0.5, "camera offline");
        Gap("drive", 60, 62, "reconnect");

        var drive = new ScopePreviewer(_home.Db).Preview(["drive"], T0, T0.AddHours(2)).Cameras.Single();

        Assert.Equal(3, drive.Clips);
        Assert.Equal(TimeSpan.FromMinutes(118), drive.Footage);
        Assert.Equal(
            [
                new FootageGap(T0, T0.AddMinutes(0.5), "camera offline", true),
                new FootageGap(T0.AddMinutes(60), T0.AddMinutes(62), "reconnect", true),
            ],
            drive.Gaps);
    }

    [Fact]
    public void Previews_a_stored_request_scope()
    {
        Clip("front", 0, 120, bytes: 7777);
        var r = _home.Submit();
        var preview = new ScopePreviewer(_home.Db).Preview(r.Request.Scope);
        Assert.Equal(7777, preview.Cameras.Single(c => c.Camera == "front").CiphertextBytes);
        Assert.Equal(TimeSpan.FromHours(2), preview.TotalFootage);
        Assert.Throws<ArgumentException>(() => new ScopePreviewer(_home.Db).Preview(["front"], T0, T0));
    }
}
