using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Vault;

namespace HomeVault.Recording.ReleasedClips;

/// <summary>The media side of a release as Core's disclosure service asks for it: a <see cref="ClipReleaser"/> per release.</summary>
public sealed class ReleaseMedia(string ffmpegPath = "ffmpeg") : IReleaseMedia
{
    public IReleasedClipWriter Open(IReadOnlyList<IIdentity> ownerIdentities, IRecipient recipient) =>
        new ClipReleaser(ownerIdentities, recipient, ffmpegPath);
}
