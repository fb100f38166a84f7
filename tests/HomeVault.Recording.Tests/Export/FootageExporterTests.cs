using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using HomeVault.Recording.Export;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Export;

/// <summary>Exports of clips the production sink sealed, joined by the real ffmpeg, checked with the real ffprobe.</summary>
public sealed class FootageExporterTests
{
    private static async Task<(SealedFootage Vault, IReadOnlyList<Clip> Clips)> TwoClipsAsync()
    {
        var v = new SealedFootage();
        var first = await v.RecordAsync("front", v.T0);
        await v.RecordAsync("front", first.End);
        return (v, new ClipRepository(v.Db).Query("front"));
    }

    private static string Output() => Path.Combine(TestEnv.NewTempDir("hvexport"), "out.mp4");

    [Fact]
    public async Task A_window_across_two_clips_is_joined_at_fragment_boundaries()
    {
        var (v, clips) = await TwoClipsAsync();
        using var _ = v;
        var output = Output();

        // 2 s into the first clip to 3 s into the second: fragments are 1 s, so 4 + 3 of them, about 7 s.
        var used = await FootageExporter.ExportAsync(v.Data.Root, clips, v.T0.AddSeconds(2.5), clips[1].Start.AddSeconds(2.5), [v.Alice], output,
            ct: TestContext.Current.CancellationToken);

        Assert.Equal(2, used);
        Assert.InRange(Media.Duration(output), 6.5, 7.5);
        Assert.Equal(["audio", "video"], Media.Streams(output).Select(s => s.Type).Order());
        Assert.Equal("", Media.DecodeErrors(output));
    }

    [Fact]
    public async Task A_window_across_three_clips_is_one_mp4_with_every_frame_in_order_from_zero()
    {
        using var v = new SealedFootage();
        var first = await v.RecordAsync("front", v.T0);
        var second = await v.RecordAsync("front", first.End);
        await v.RecordAsync("front", second.End);
        var clips = new ClipRepository(v.Db).Query("front");
        var at = await SealedFootage.BoundariesAsync();
        var output = Output();

        // From inside the first clip's last fragment to inside the third's first: 1 + 6 + 1 fragments of 15 frames.
        var used = await FootageExporter.ExportAsync(v.Data.Root, clips, clips[0].Start + at[5] + TimeSpan.FromSeconds(0.5),
            clips[2].Start + TimeSpan.FromSeconds(0.5), [v.Alice], output, ct: TestContext.Current.CancellationToken);

        Assert.Equal(3, used);
        Assert.Equal((120, 0.0), Media.Video(output));
        var seconds = (at[6] - at[5] + at[6] + at[1]).TotalSeconds;
        Assert.InRange(Media.Duration(output), seconds - 0.2, seconds + 0.2);
        Assert.Equal("", Media.DecodeErrors(output));
    }

    [Fact]
    public async Task A_window_inside_one_clip_uses_only_that_clip_and_strip_audio_leaves_the_audio_out()
    {
        var (v, clips) = await TwoClipsAsync();
        using var _ = v;
        var output = Output();

        // Fragments are about 1 s: the window [1.5 s, 2.5 s) touches the second and the third, about 2 s.
        var used = await FootageExporter.ExportAsync(v.Data.Root, clips, clips[1].Start.AddSeconds(1.5), clips[1].Start.AddSeconds(2.5), [v.Alice], output,
            stripAudio: true, ct: TestContext.Current.CancellationToken);

        Assert.Equal(1, used);
        Assert.InRange(Media.Duration(output), 1.5, 2.5);
        Assert.Equal(["video"], Media.Streams(output).Select(s => s.Type));
    }

    [Fact]
    public async Task A_window_starting_inside_a_group_of_short_fragments_starts_at_the_keyframe_before_it()
    {
        using var v = new SealedFootage();
        await v.RecordAsync("front", v.T0, mp4: Media.SubGopSample);
        var clips = new ClipRepository(v.Db).Query("front");
        var starts = await SealedFootage.FragmentStartsAsync(Media.SubGopSample);
        // A second into the fragments after the keyframe at 4 s: the export starts at that keyframe's fragment.
        var keyed = starts.Last(f => f.Key).Start;
        var from = clips[0].Start + keyed + TimeSpan.FromSeconds(1);
        Assert.False(starts.Last(f => f.Start <= from - clips[0].Start).Key);
        var output = Output();

        var used = await FootageExporter.ExportAsync(v.Data.Root, clips, from, clips[0].End, [v.Alice], output, ct: TestContext.Current.CancellationToken);

        Assert.Equal(1, used);
        Assert.True(Media.StartsAtKeyframe(output));
        Assert.Equal(30, Media.Video(output).Frames); // frames 60 to 89: the last group of pictures
        Assert.Equal("", Media.DecodeErrors(output));
    }

    [Fact]
    public async Task An_ffmpeg_that_cannot_be_started_is_a_user_error_and_leaves_no_staging_behind()
    {
        var (v, clips) = await TwoClipsAsync();
        using var _ = v;
        var output = Output();
        var missing = Path.Combine(TestEnv.NewTempDir("hvnoffmpeg"), "ffmpeg");
        var staged = Staging();

        var ex = await Assert.ThrowsAsync<ExportException>(() => FootageExporter.ExportAsync(v.Data.Root, clips, v.T0, clips[1].End, [v.Alice], output,
            ffmpegPath: missing, ct: TestContext.Current.CancellationToken));

        Assert.IsAssignableFrom<UserError>(ex);
        Assert.StartsWith($"cannot run {missing}: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(output));
        Assert.Equal(staged, Staging());
    }

    [Fact]
    public async Task Clips_the_identity_cannot_open_fail_with_the_age_error()
    {
        var (v, clips) = await TwoClipsAsync();
        using var _ = v;
        using var stranger = X25519Identity.Generate();

        var ex = await Assert.ThrowsAsync<AgeException>(() => FootageExporter.ExportAsync(v.Data.Root, clips, v.T0, clips[1].End, [stranger], Output(),
            ct: TestContext.Current.CancellationToken));

        Assert.Equal(AgeErrorKind.NoIdentityMatched, ex.Kind);
        Assert.IsAssignableFrom<UserError>(ex);
    }

    /// <summary>The export staging directories in the RAM-backed directory FootageExporter uses.</summary>
    private static string[] Staging()
    {
        var dir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } run && Directory.Exists(run) ? run : "/dev/shm";
        return Directory.GetDirectories(dir, "homevault-export-*").Order(StringComparer.Ordinal).ToArray();
    }
}
