
namespace HomeVault.Core.Disclosure.Releases;

/// <summary>A release as listed to owners (never with its token).</summary>
public sealed record ReleaseSummary(
    string RequestId,
    ReleaseState State,
    DateTimeOffset Built,
    DateTimeOffset Expires,
    DateTimeOffset? Ended,
    int Clips,
    long Bytes,
    int Downloads,
    string Directory,
    string TarPath);
