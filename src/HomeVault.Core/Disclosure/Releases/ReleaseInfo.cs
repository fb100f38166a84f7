namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// A release just built. <see cref="CapabilityToken"/> is the only copy of the download token (the catalog keeps
/// its SHA-256): show it once to the owner, who hands it to the recipient.
/// </summary>
public sealed record ReleaseInfo(
    string RequestId,
    string Directory,
    string TarPath,
    string CapabilityToken,
    DateTimeOffset Expires,
    int Clips,
    long Bytes,
    string ManifestSha256,
    long AuditIndex);
