namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// One clip of a release: its path inside the package, camera, the actual start and end of the footage it holds
/// (inside the approved window), SHA-256 of the plaintext MP4 and of the age file, and the age file's size.
/// </summary>
public sealed record ManifestClip(string Path, string Camera, DateTimeOffset Start, DateTimeOffset End, string PlaintextSha256, string Sha256, long Bytes);
