using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Tests.Disclosure;

/// <summary>
/// The media step of a release for Core-only tests, where what a clip holds does not matter (their clips are not
/// video): each owner-sealed clip wholly inside the window is decrypted and re-encrypted to the recipient as it is,
/// hashed as the real one hashes. It does not trim or strip audio, so it refuses a clip reaching outside the window
/// or an approval without audio rather than pretend. The real media side is Recording's ReleaseMedia, tested with
/// ffmpeg-made footage in tests/HomeVault.Recording.Tests/ReleasedClips and Disclosure.
/// </summary>
internal sealed class WholeClipMedia : IReleaseMedia
{
    public IReleasedClipWriter Open(IReadOnlyList<IIdentity> ownerIdentities, IRecipient recipient) => new Writer(ownerIdentities, recipient);

    private sealed class Writer(IReadOnlyList<IIdentity> identities, IRecipient recipient) : IReleasedClipWriter
    {
        public ManifestClip? Release(string clipPath, Clip clip, DateTimeOffset windowFrom, DateTimeOffset windowTo, bool stripAudio, string packageDir, CancellationToken ct)
        {
            if (clip.End <= windowFrom || clip.Start >= windowTo)
            {
                return null;
            }
            if (stripAudio || clip.Start < windowFrom || clip.End > windowTo)
            {
                throw new ReleaseException($"clip {clip.Path}: this test media releases whole clips only");
            }
            var relative = ReleaseFiles.ClipPath(clip.Camera, clip.Start);
            var path = Path.Combine(packageDir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var cipher = new HashingWriteStream(file);
            string plainSha;
            using (var age = Age.EncryptingStream(cipher, [recipient], leaveOpen: true))
            using (var plain = new HashingWriteStream(age))
            {
                using (var input = File.OpenRead(clipPath))
                using (var owners = Age.DecryptingStream(input, identities))
                {
                    owners.CopyTo(plain);
                }
                plainSha = plain.HexDigest();
                age.Complete();
            }
            return new ManifestClip(relative, clip.Camera, clip.Start, clip.End, plainSha, cipher.HexDigest(), cipher.BytesWritten);
        }
    }
}
