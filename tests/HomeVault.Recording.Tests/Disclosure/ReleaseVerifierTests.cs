using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Disclosure;

/// <summary>
/// Core's ReleaseVerifier (Disclosure/Verification) on a release the service built with the real media side: each
/// test alters a private copy and the verifier must name what is wrong.
/// </summary>
public sealed class ReleaseVerifierTests(BuiltRelease built) : IClassFixture<BuiltRelease>, IDisposable
{
    private readonly string _dir = TestEnv.NewTempDir("hvverify");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ReleaseInfo Release => built.Release;

    private MinisignPublicKey OwnerKey => built.Footage.OwnerKey;

    private IReadOnlyList<IIdentity> Recipient => [built.Footage.Home.Recipient];

    private ManifestClip FirstClip => ReleaseManifest.Parse(File.ReadAllBytes(Path.Combine(Release.Directory, ReleaseFiles.Manifest))).Clips[0];

    /// <summary>A copy of the release directory, under its own name.</summary>
    private string CopyOfDirectory()
    {
        var copy = Path.Combine(_dir, Path.GetFileName(Release.Directory));
        foreach (var file in Directory.EnumerateFiles(Release.Directory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Release.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    [Fact]
    public void The_untouched_release_verifies_as_a_directory_and_as_a_tar()
    {
        var dir = ReleaseVerifier.Verify(CopyOfDirectory(), [OwnerKey], Recipient);
        var tar = ReleaseVerifier.Verify(Release.TarPath, [OwnerKey], Recipient);

        Assert.True(dir.Ok, dir.Problem);
        Assert.True(tar.Ok, tar.Problem);
        Assert.Equal((2, 2), (tar.ClipsHashed, tar.ClipsDecrypted));
    }

    [Fact]
    public void A_byte_changed_inside_the_tar_is_named_as_the_clip_whose_hash_no_longer_matches()
    {
        var clip = File.ReadAllBytes(Path.Combine(Release.Directory, FirstClip.Path));
        var tar = File.ReadAllBytes(Release.TarPath);
        var at = tar.AsSpan().IndexOf(clip.AsSpan(0, 256));
        Assert.True(at > 0, "the clip's bytes are not in the tar");
        tar[at + clip.Length / 2] ^= 0x01;
        var altered = Path.Combine(_dir, "altered.tar");
        File.WriteAllBytes(altered, tar);

        var result = ReleaseVerifier.Verify(altered, [OwnerKey], Recipient);

        Assert.Equal($"{FirstClip.Path}: ciphertext SHA-256 does not match the manifest", result.Problem);
    }

    [Fact]
    public void A_manifest_signed_by_a_key_that_is_not_pinned_or_edited_after_signing_is_refused()
    {
        using var other = MinisignKey.Create();

        var unpinned = ReleaseVerifier.Verify(Release.TarPath, [other.PublicKey], Recipient);

        Assert.Equal($"{ReleaseFiles.ManifestSignature}: signed by key {OwnerKey.KeyId}, which is not a pinned owner key", unpinned.Problem);

        var copy = CopyOfDirectory();
        var manifest = Path.Combine(copy, ReleaseFiles.Manifest);
        var text = File.ReadAllText(manifest);
        Assert.Contains("\"stripAudio\": true", text, StringComparison.Ordinal);
        File.WriteAllText(manifest, text.Replace("\"stripAudio\": true", "\"stripAudio\": false", StringComparison.Ordinal));

        var edited = ReleaseVerifier.Verify(copy, [OwnerKey], Recipient);

        Assert.StartsWith($"{ReleaseFiles.Manifest}: signature does not verify with the pinned owner key", edited.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_clip_is_named()
    {
        var copy = CopyOfDirectory();
        File.Delete(Path.Combine(copy, FirstClip.Path));

        var result = ReleaseVerifier.Verify(copy, [OwnerKey], Recipient);

        Assert.Equal($"{FirstClip.Path}: missing", result.Problem);
    }

    [Fact]
    public void A_clip_sealed_again_to_the_recipient_decrypts_to_the_same_footage_but_its_hash_does_not_match()
    {
        var copy = CopyOfDirectory();
        var path = Path.Combine(copy, FirstClip.Path);
        using var plain = new MemoryStream();
        using (var input = File.OpenRead(path))
        {
            Age.Decrypt(input, plain, Recipient);
        }
        plain.Position = 0;
        using (var output = File.Create(path))
        {
            Age.Encrypt(plain, output, [built.Footage.Home.Recipient.Recipient]);
        }
        Assert.Equal(FirstClip.Bytes, new FileInfo(path).Length);

        var result = ReleaseVerifier.Verify(copy, [OwnerKey], Recipient);

        Assert.Equal($"{FirstClip.Path}: ciphertext SHA-256 does not match the manifest", result.Problem);
    }

    [Fact]
    public void An_identity_the_clips_are_not_sealed_to_cannot_check_their_plaintext()
    {
        using var stranger = X25519Identity.Generate();

        var result = ReleaseVerifier.Verify(Release.TarPath, [OwnerKey], [stranger]);

        Assert.StartsWith($"{FirstClip.Path}: cannot decrypt (", result.Problem, StringComparison.Ordinal);
    }
}
