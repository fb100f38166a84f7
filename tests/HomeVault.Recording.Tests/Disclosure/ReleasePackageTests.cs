using System.Formats.Tar;
using System.Security.Cryptography;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Vault;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Disclosure;

/// <summary>
/// Core's release package (Disclosure/Releases) as the disclosure service builds it with the real media side, on
/// footage sealed from ffmpeg-made fMP4, checked file by file and with stock age, minisign and ffprobe.
/// </summary>
public sealed class ReleasePackageTests(BuiltRelease built) : IClassFixture<BuiltRelease>
{
    private ReleaseInfo Release => built.Release;

    private static DateTimeOffset Ms(DateTimeOffset t) => SealedFootage.Ms(t);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void The_package_holds_exactly_the_signed_files_and_its_tar_the_same_bytes()
    {
        var first = ReleaseFiles.ClipPath("front", built.Clips[0].Start + built.Boundaries[3]);
        var second = ReleaseFiles.ClipPath("front", built.Clips[1].Start);
        string[] expected = [
            "README.txt", "SHA256SUMS", "approval.txt", "approval.txt.owner1.minisig", "audit/entry.json", "audit/log-key.txt",
            "audit/release.tlog-proof", first, second, "manifest.json", "manifest.json.minisig", "owners/owner1.pub"];

        var files = Directory.EnumerateFiles(Release.Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Release.Directory, f)).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected.Order(StringComparer.Ordinal), files);
        var name = Path.GetFileName(Release.Directory);
        using var tar = new TarReader(File.OpenRead(Release.TarPath));
        var entries = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            entries.Add(entry.Name);
            using var content = new MemoryStream();
            entry.DataStream!.CopyTo(content);
            Assert.Equal(File.ReadAllBytes(Path.Combine(Release.Directory, entry.Name[(name.Length + 1)..])), content.ToArray());
        }
        Assert.Equal(files.Select(f => $"{name}/{f}"), entries);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(Release.Directory)!, ".*"));
        Assert.Equal(Sha256(File.ReadAllBytes(Path.Combine(Release.Directory, "manifest.json"))), Release.ManifestSha256);
    }

    [Fact]
    public void The_manifest_states_the_approved_scope_and_each_clip_trimmed_to_whole_fragments_inside_it()
    {
        var manifest = ReleaseManifest.Parse(File.ReadAllBytes(Path.Combine(Release.Directory, ReleaseFiles.Manifest)));
        var request = built.Footage.Home.Request(Release.RequestId);

        Assert.Equal((built.From, built.To, true, 1), (manifest.From, manifest.To, manifest.StripAudio, manifest.Quorum));
        Assert.Equal(["owner1"], manifest.Signers);
        Assert.Equal((request.Digest, request.Request.Requester.Recipient, "owner1"), (manifest.RequestDigest, manifest.Recipient, manifest.SignedBy));
        Assert.Equal(RequestState.Released, request.State);
        var clips = manifest.Clips.Select(c => (c.Camera, c.Start, c.End)).ToList();
        var (c0, c1, at) = (built.Clips[0].Start, built.Clips[1].Start, built.Boundaries);
        Assert.Equal([("front", Ms(c0 + at[3]), Ms(c0 + at[6])), ("front", c1, Ms(c1 + at[3]))], clips);
        Assert.Equal(c1, Ms(c0 + at[6]));
        Assert.Equal(manifest.Clips.Sum(c => c.Bytes), Release.Bytes);
        Assert.Equal(string.Concat(manifest.Clips.Select(c => $"{c.Sha256}  {c.Path}\n")), File.ReadAllText(Path.Combine(Release.Directory, ReleaseFiles.Sums)));
    }

    [Fact]
    public void Stock_minisign_verifies_the_manifest_and_stock_age_opens_each_clip_to_video_only_starting_at_zero()
    {
        var dir = TestEnv.NewTempDir("hvpackage");
        var pub = Path.Combine(dir, "owner1.pub");
        File.WriteAllText(pub, built.Footage.OwnerKey.ToFileText());
        var identity = Path.Combine(dir, "recipient.key");
        File.WriteAllText(identity, IdentityFile.Format(built.Footage.Home.Recipient, DateTimeOffset.UtcNow));
        var manifest = ReleaseManifest.Parse(File.ReadAllBytes(Path.Combine(Release.Directory, ReleaseFiles.Manifest)));

        var minisign = TestEnv.Run(TestEnv.Tool("minisign"), ["-V", "-p", pub, "-m", Path.Combine(Release.Directory, ReleaseFiles.Manifest)]);
        Assert.True(minisign.Exit == 0, minisign.Stderr);

        foreach (var clip in manifest.Clips)
        {
            var mp4 = Path.Combine(dir, Path.GetFileName(clip.Path) + ".mp4");
            var age = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", identity, "-o", mp4, Path.Combine(Release.Directory, clip.Path)]);
            Assert.True(age.Exit == 0, age.Stderr);
            Assert.Equal(clip.PlaintextSha256, Sha256(File.ReadAllBytes(mp4)));
            Assert.Equal(["video"], Media.Streams(mp4).Select(s => s.Type));
            Assert.Equal((45, 0.0), Media.Video(mp4));
            Assert.Equal("", Media.DecodeErrors(mp4));
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void The_recipient_verifies_the_tar_down_to_each_clips_plaintext()
    {
        var result = ReleaseVerifier.Verify(Release.TarPath, [built.Footage.OwnerKey], [built.Footage.Home.Recipient]);

        Assert.True(result.Ok, result.Problem);
        Assert.Equal((2, 2), (result.ClipsHashed, result.ClipsDecrypted));
        Assert.Equal(Release.AuditIndex + 1, result.CheckpointSize);
    }

    [Fact]
    public async Task A_clip_that_cannot_be_released_fails_the_approval_and_leaves_no_signature_leaf_or_file()
    {
        using var footage = new ReleaseFootage();
        var clip = await footage.RecordAsync("front", DisclosureHome.Evening.AddMinutes(10));
        var request = footage.Home.Submit("front");
        var path = Path.Combine(footage.Home.Data.Root, clip.Path);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var before = footage.Home.LogSize();

        var ex = Assert.Throws<ReleaseException>(() => footage.Approve(request, clip.Start, clip.End, stripAudio: false));

        Assert.StartsWith($"clip {clip.Path} cannot be decrypted: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, footage.Home.LogSize());
        var stored = footage.Home.Request(request.Id);
        Assert.Equal(RequestState.Pending, stored.State);
        Assert.Null(stored.Approved);
        Assert.False(Directory.Exists(Path.Combine(footage.Home.Data.Root, "requests", request.Id)), "an approval statement was written");
        var releases = footage.Home.Data.ReleasesDir;
        Assert.False(Directory.Exists(releases) && Directory.EnumerateFileSystemEntries(releases).Any(), "release files were left");
    }
}
