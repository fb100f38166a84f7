using HomeVault.Core.Disclosure.Releases;

namespace HomeVault.Core.Disclosure.Verification;

/// <summary>
/// The outcome of verifying a release: null <see cref="Problem"/> when everything checked, else the first
/// failure as one line naming the file and what is wrong with it.
/// </summary>
public sealed record ReleaseVerification(
    string? Problem,
    ReleaseManifest? Manifest,
    int ClipsHashed,
    int ClipsDecrypted,
    IReadOnlyList<string> Signers,
    long CheckpointSize,
    string? CheckpointOrigin)
{
    public bool Ok => Problem is null;

    internal static ReleaseVerification Fail(string problem, ReleaseManifest? manifest = null) => new(problem, manifest, 0, 0, [], 0, null);
}
