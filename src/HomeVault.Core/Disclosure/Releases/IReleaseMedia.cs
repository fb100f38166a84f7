using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// The one step of a release that needs the media side: writing the released form of owner-sealed clips. Core
/// decides what is released and records it; the recorder's side (HomeVault.Recording, ClipReleaser) decrypts, keeps
/// the fragments inside the window, strips audio through ffmpeg when asked and re-encrypts to the recipient. The CLI
/// host wires the implementation.
/// </summary>
public interface IReleaseMedia
{
    /// <summary>A writer of released clips opened with the approving owner's identities, sealing to the release's recipient.</summary>
    IReleasedClipWriter Open(IReadOnlyList<IIdentity> ownerIdentities, IRecipient recipient);
}

/// <summary>Writes the released clips of one release; safe to call for several clips at once.</summary>
public interface IReleasedClipWriter
{
    /// <summary>Writes the released form of <paramref name="clip"/> under <paramref name="packageDir"/>; null when none of it lies in [<paramref name="windowFrom"/>, <paramref name="windowTo"/>).</summary>
    /// <exception cref="ReleaseException">The clip cannot be opened, parsed or written.</exception>
    ManifestClip? Release(string clipPath, Clip clip, DateTimeOffset windowFrom, DateTimeOffset windowTo, bool stripAudio, string packageDir, CancellationToken ct);
}
