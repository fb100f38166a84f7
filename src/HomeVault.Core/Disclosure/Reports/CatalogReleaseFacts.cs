using HomeVault.Core.Disclosure.Releases;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// Release facts from the catalog's releases table (clips, bytes: kept for good) and, while the package still
/// exists, its manifest (clip minutes). A manifest is believed only when its SHA-256 is the one recorded at build.
/// </summary>
public sealed class CatalogReleaseFacts(ReleaseRepository releases) : IReleaseFacts
{
    public ReleasedFootage? Footage(string requestId)
    {
        if (releases.Find(requestId) is not { } release)
        {
            return null;
        }
        return new ReleasedFootage(release.Clips, release.Bytes, ManifestLength(release));
    }

    private static TimeSpan? ManifestLength(ReleaseRecord release)
    {
        var path = Path.Combine(release.Directory, ReleaseFiles.Manifest);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (ReleaseManifest.Sha256Hex(bytes) != release.ManifestSha256)
        {
            return null;
        }
        try
        {
            return TimeSpan.FromTicks(ReleaseManifest.Parse(bytes).Clips.Sum(c => (c.End - c.Start).Ticks));
        }
        catch (ReleaseException)
        {
            return null;
        }
    }
}
