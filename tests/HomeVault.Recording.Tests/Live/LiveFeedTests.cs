using System.Text.RegularExpressions;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Live;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Live;

/// <summary>
/// The recorder's tap for live viewers, on the fragments of a real ffmpeg fMP4: free while nobody watches, never
/// waiting for a viewer, and the stills decoded from it by the real ffmpeg through pipes.
/// </summary>
public sealed class LiveFeedTests
{
    [Fact]
    public async Task With_no_subscriber_publishing_copies_nothing()
    {
        var (init, fragments) = await SampleAsync();
        var feed = new LiveFeed();
        var tap = feed.Tap("front");
        tap.Begin(init);
        var big = new byte[1 << 20];
        tap.Publish(big, keyframe: true); // first call: anything lazily set up is not counted below
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            tap.Publish(big, keyframe: true);
            tap.Publish(fragments[i % fragments.Count], keyframe: true);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"publishing 200 fragments to nobody allocated {allocated} bytes");
        Assert.Equal(0, feed.Subscribers);
    }

    [Fact]
    public async Task A_slow_subscriber_is_dropped_without_blocking_the_writer_and_a_fast_one_gets_every_fragment()
    {
        var (init, fragments) = await SampleAsync();
        var feed = new LiveFeed(capacity: 2);
        var tap = feed.Tap("front");
        Assert.Null(feed.Subscribe("front")); // no run yet
        tap.Begin(init);
        using var slow = feed.Subscribe("front")!;
        using var fast = feed.Subscribe("front")!;
        Assert.Equal(2, feed.Subscribers);
        Assert.Equal(init.Bytes.ToArray(), slow.Init.ToArray());

        var received = new List<byte[]>();
        var delivered = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var f in fast.Fragments.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                received.Add(f.ToArray());
                Interlocked.Increment(ref delivered);
            }
        }, TestContext.Current.CancellationToken);
        // The writer: the recorder's loop. Each publish must return at once whatever the viewers do.
        var writing = Task.Run(() =>
        {
            for (var i = 0; i < fragments.Count; i++)
            {
                tap.Publish(fragments[i], keyframe: true);
                SpinWait.SpinUntil(() => Volatile.Read(ref delivered) > i, TimeSpan.FromSeconds(10)); // the fast one keeps up
            }
        }, TestContext.Current.CancellationToken);
        await writing.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(slow.Dropped);
        Assert.False(fast.Dropped);
        Assert.Equal(1, feed.Subscribers);
        // The slow one keeps what it had buffered, then its feed ends.
        var buffered = new List<byte[]>();
        await foreach (var f in slow.Fragments.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            buffered.Add(f.ToArray());
        }
        Assert.Equal(fragments.Take(2).Select(f => f.ToArray()), buffered);

        tap.End(); // the run ends: every feed completes, and nobody can join until the next run
        await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(fragments.Select(f => f.ToArray()), received);
        Assert.Equal(0, feed.Subscribers);
        Assert.Null(feed.Subscribe("front"));
    }

    [Fact]
    public async Task The_content_type_names_the_codecs_of_the_init_segment()
    {
        var (init, _) = await SampleAsync();
        var type = CodecString.ContentType(init);
        Assert.Matches(new Regex("^video/mp4; codecs=\"avc1\\.(64|4d|42)[0-9a-f]{4},mp4a\\.40\\.2\"$"), type);
    }

    [Fact]
    public async Task A_still_is_a_jpeg_decoded_from_the_next_keyframe_fragment_and_kept_briefly()
    {
        var (init, fragments) = await SampleAsync();
        var feed = new LiveFeed();
        var tap = feed.Tap("front");
        var stills = new CameraStills(feed, new SupervisorSettings { FfmpegPath = TestEnv.Tool("ffmpeg") }, TimeProvider.System);
        Assert.Null(await stills.StillAsync("garage", TestContext.Current.CancellationToken)); // not a camera of this recorder
        tap.Begin(init);
        var asking = stills.StillAsync("front", TestContext.Current.CancellationToken);
        SpinWait.SpinUntil(() => feed.Subscribers == 1, TimeSpan.FromSeconds(30));
        tap.Publish(fragments[2], keyframe: true);
        var jpeg = await asking.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.NotNull(jpeg);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);
        Assert.Equal(0, feed.Subscribers); // the subscription lasted one fragment
        Assert.Same(jpeg, await stills.StillAsync("front", TestContext.Current.CancellationToken)); // from memory, no fragment needed

        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("ffprobe"),
            ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", "-f", "jpeg_pipe", "pipe:0"], jpeg);
        Assert.True(exit == 0, stderr);
        Assert.Equal("mjpeg,320,180", System.Text.Encoding.ASCII.GetString(stdout).Trim());
    }

    [Fact]
    public async Task A_viewer_and_a_still_that_join_inside_a_group_start_at_the_next_fragment_that_starts_at_a_keyframe()
    {
        var (init, fragments, keys) = await SampleAsync(Media.SubGopSample);
        var firstKey = keys.IndexOf(true, 1);
        Assert.True(firstKey > 2, "the sample's second keyframe fragment comes after a few without one");
        var feed = new LiveFeed(capacity: fragments.Count);
        var tap = feed.Tap("front");
        var stills = new CameraStills(feed, new SupervisorSettings { FfmpegPath = TestEnv.Tool("ffmpeg") }, TimeProvider.System);
        tap.Begin(init);
        using var viewer = feed.Subscribe("front")!;
        var asking = stills.StillAsync("front", TestContext.Current.CancellationToken);
        SpinWait.SpinUntil(() => feed.Subscribers == 2, TimeSpan.FromSeconds(30));

        for (var i = 1; i < fragments.Count; i++)
        {
            tap.Publish(fragments[i], keys[i]);
        }
        tap.End();

        var received = new List<byte[]>();
        await foreach (var f in viewer.Fragments.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            received.Add(f.ToArray());
        }
        Assert.Equal(fragments.Skip(firstKey).Select(f => f.ToArray()), received);
        var jpeg = await asking.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.NotNull(jpeg); // ffmpeg decoded a picture: it was given a keyframe
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);
    }

    private static async Task<(InitSegment Init, List<ReadOnlyMemory<byte>> Fragments)> SampleAsync()
    {
        var (init, fragments, _) = await SampleAsync(Media.FragmentedSample);
        return (init, fragments);
    }

    private static async Task<(InitSegment Init, List<ReadOnlyMemory<byte>> Fragments, List<bool> Keys)> SampleAsync(byte[] mp4)
    {
        var reader = new Fmp4Reader(new MemoryStream(mp4));
        var init = (await reader.ReadInitSegmentAsync(CancellationToken.None))!;
        var fragments = new List<ReadOnlyMemory<byte>>();
        var keys = new List<bool>();
        while (await reader.ReadFragmentAsync(CancellationToken.None) is { } f)
        {
            fragments.Add(f.Bytes.ToArray());
            keys.Add(f.StartsWithKeyframe);
        }
        Assert.True(fragments.Count >= 5, $"{fragments.Count} fragments");
        return (init, fragments, keys);
    }
}
