using System.Security.Cryptography;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Vault;
using HomeVault.Recording.ReleasedClips;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.ReleasedClips;

/// <summary>
/// The media side of a release (Recording's ReleaseMedia, as the host wires it into Core) on clips the production sink
/// sealed from ffmpeg-made fMP4 (six 1 s fragments, video and AAC audio), checked with the real ffprobe.
/// </summary>
public sealed class ClipReleaserTests : IDisposable
{
    private readonly SealedFootage _v = new();
    private readonly X25519Identity _recipient = X25519Identity.Generate();
    private readonly string _package = TestEnv.NewTempDir("hvreleased");

    private static readonly TimeSpan Half = TimeSpan.FromSeconds(0.5);

    /// <summary>Times on the media's timescale and on the wall clock agree to within a tick's rounding.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(10);

    public void Dispose()
    {
        _v.Dispose();
        _recipient.Dispose();
        Directory.Delete(_package, recursive: true);
    }

    private ManifestClip? Release(Clip clip, DateTimeOffset from, DateTimeOffset to, bool stripAudio = false, IIdentity? owner = null) =>
        new ReleaseMedia().Open([owner ?? _v.Alice], _recipient.Recipient)
            .Release(Path.Combine(_v.Data.Root, clip.Path), clip, from, to, stripAudio, _package, TestContext.Current.CancellationToken);

    /// <summary>The released clip decrypted with the recipient's identity, and the same plaintext as a file for ffprobe.</summary>
    private (byte[] Plain, string Mp4) Open(ManifestClip released)
    {
        using var file = File.OpenRead(Path.Combine(_package, released.Path));
        using var plain = Age.DecryptingStream(file, [_recipient]);
        using var copy = new MemoryStream();
        plain.CopyTo(copy);
        var mp4 = Path.Combine(_package, $"probe-{Guid.NewGuid():N}.mp4");
        File.WriteAllBytes(mp4, copy.ToArray());
        return (copy.ToArray(), mp4);
    }

    private void AssertHashesBind(ManifestClip released, byte[] plain)
    {
        var file = Path.Combine(_package, released.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), released.Sha256);
        Assert.Equal(new FileInfo(file).Length, released.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plain)), released.PlaintextSha256);
    }

    [Fact]
    public async Task A_clip_wholly_inside_the_window_is_released_byte_for_byte_to_the_recipient_only()
    {
        var clip = await _v.RecordAsync("front", _v.T0);

        var released = Release(clip, clip.Start.AddSeconds(-1), clip.End.AddSeconds(1))!;

        Assert.Equal((ReleaseFiles.ClipPath("front", clip.Start), "front", clip.Start, clip.End), (released.Path, released.Camera, released.Start, released.End));
        var (plain, _) = Open(released);
        Assert.Equal(_v.Decrypt(clip), plain);
        AssertHashesBind(released, plain);
        using var file = File.OpenRead(Path.Combine(_package, released.Path));
        Assert.Equal(AgeErrorKind.NoIdentityMatched, Assert.Throws<AgeException>(() => Age.DecryptingStream(file, [_v.Alice])).Kind);
    }

    [Fact]
    public async Task An_edge_clip_keeps_only_the_fragments_inside_the_window_rebased_to_zero()
    {
        var clip = await _v.RecordAsync("front", _v.T0);
        var at = await SealedFootage.BoundariesAsync();

        // Half a second into fragment 1 to half a second into fragment 4: fragments 2 and 3 lie wholly inside.
        var released = Release(clip, clip.Start + at[2] - Half, clip.Start + at[4] + Half)!;

        Assert.Equal(clip.Start + at[2], released.Start, Tick);
        Assert.Equal(clip.Start + at[4], released.End, Tick);
        Assert.Equal(ReleaseFiles.ClipPath("front", clip.Start + at[2]), released.Path);
        var (plain, mp4) = Open(released);
        AssertHashesBind(released, plain);
        Assert.InRange(Media.Duration(mp4), 1.9, 2.2); // the audio's 128 ms frames may reach past the video's 2 s
        var (frames, firstPts) = Media.Video(mp4);
        Assert.Equal(30, frames); // two fragments of 15 frames
        Assert.Equal(0, firstPts, 3);
        Assert.Equal(["audio", "video"], Media.Streams(mp4).Select(s => s.Type).Order());
        Assert.Equal("", Media.DecodeErrors(mp4));
    }

    [Fact]
    public async Task An_edge_clip_of_fragments_smaller_than_a_group_is_released_from_the_first_keyframe_inside_the_window()
    {
        var clip = await _v.RecordAsync("front", _v.T0, mp4: Media.SubGopSample);
        var starts = await SealedFootage.FragmentStartsAsync(Media.SubGopSample);
        var from = clip.Start + starts[1].Start - Half / 4; // inside the first fragment; the second lies wholly inside
        var keyed = starts.First(f => f.Key && clip.Start + f.Start >= from).Start;
        Assert.True(keyed > starts[1].Start, "the window's first whole fragment must not start at a keyframe for this test");

        var released = Release(clip, from, clip.End + Half)!;

        // Nothing before the window, and nothing that cannot be decoded without what was left out.
        Assert.Equal(clip.Start + keyed, released.Start, Tick);
        var (plain, mp4) = Open(released);
        AssertHashesBind(released, plain);
        Assert.True(Media.StartsAtKeyframe(mp4));
        var (frames, firstPts) = Media.Video(mp4);
        Assert.Equal(30, frames); // frames 60 to 89: the last group of pictures
        Assert.Equal(0, firstPts, 3);
        Assert.Equal("", Media.DecodeErrors(mp4));
    }

    [Fact]
    public async Task Strip_audio_leaves_only_the_video_of_a_whole_clip_and_of_a_trimmed_one()
    {
        var clip = await _v.RecordAsync("front", _v.T0);
        var at = await SealedFootage.BoundariesAsync();

        var whole = Release(clip, clip.Start, clip.End + Half, stripAudio: true)!;
        var trimmed = Release(clip, clip.Start + at[3] - Half, clip.End + Half, stripAudio: true)!;

        var (wholePlain, wholeMp4) = Open(whole);
        AssertHashesBind(whole, wholePlain);
        Assert.Equal(["video"], Media.Streams(wholeMp4).Select(s => s.Type));
        Assert.Equal(90, Media.Video(wholeMp4).Frames);
        var (trimmedPlain, trimmedMp4) = Open(trimmed);
        AssertHashesBind(trimmed, trimmedPlain);
        Assert.Equal(clip.Start + at[3], trimmed.Start, Tick);
        Assert.Equal(["video"], Media.Streams(trimmedMp4).Select(s => s.Type));
        Assert.Equal((45, 0.0), Media.Video(trimmedMp4));
        Assert.Equal("", Media.DecodeErrors(trimmedMp4));
    }

    [Fact]
    public async Task Strip_audio_keeps_the_last_fragment_of_a_clip_whose_window_ends_exactly_at_the_clip()
    {
        var clip = await _v.RecordAsync("front", _v.T0);

        // The catalog's end is cut to whole milliseconds; the last fragment's media end lies a fraction of one later.
        var released = Release(clip, clip.Start, clip.End, stripAudio: true)!;

        Assert.Equal((clip.Start, clip.End), (released.Start, released.End));
        var (plain, mp4) = Open(released);
        AssertHashesBind(released, plain);
        Assert.Equal(["video"], Media.Streams(mp4).Select(s => s.Type));
        Assert.Equal(90, Media.Video(mp4).Frames);
        Assert.Equal("", Media.DecodeErrors(mp4));
    }

    [Fact]
    public async Task A_window_holding_no_whole_fragment_of_the_clip_releases_nothing()
    {
        var clip = await _v.RecordAsync("front", _v.T0);

        Assert.Null(Release(clip, clip.End, clip.End.AddMinutes(1)));
        var at = await SealedFootage.BoundariesAsync();
        Assert.Null(Release(clip, clip.Start + at[1] + Half / 2, clip.Start + at[2] - Half / 2));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_package));
    }

    [Fact]
    public async Task A_clip_the_owner_cannot_open_or_that_was_damaged_is_a_release_error_naming_the_clip()
    {
        var clip = await _v.RecordAsync("front", _v.T0);
        using var stranger = X25519Identity.Generate();

        var notSealed = Assert.Throws<ReleaseException>(() => Release(clip, clip.Start, clip.End, owner: stranger));
        Assert.StartsWith($"clip {clip.Path} is not sealed to the approving owner", notSealed.Message, StringComparison.Ordinal);

        var path = Path.Combine(_v.Data.Root, clip.Path);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var damaged = Assert.Throws<ReleaseException>(() => Release(clip, clip.Start + Half, clip.End));
        Assert.StartsWith($"clip {clip.Path} cannot be decrypted: ", damaged.Message, StringComparison.Ordinal);
    }
}
