namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// A built release as the catalog keeps it. Paths are absolute (a release may be written outside the data
/// directory with --out). Only the capability token's SHA-256 is kept.
/// </summary>
public sealed record ReleaseRecord(
    string RequestId,
    string Directory,
    string TarPath,
    string TokenSha256,
    string ManifestSha256,
    DateTimeOffset Built,
    DateTimeOffset Expires,
    ReleaseState State,
    DateTimeOffset? Ended,
    int Clips,
    long Bytes,
    int Downloads,
    long AuditIndex);
