using System.Globalization;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Clips;

/// <summary>
/// Joining a camera's sealed clips over a window into one MP4 without re-encoding: the media side
/// (HomeVault.Recording's <c>FootageExport</c>), which the CLI host wires for the console, as it does <c>IReleaseMedia</c>.
/// </summary>
public interface IFootageExport
{
    /// <summary>
    /// Writes [<paramref name="windowFrom"/>, <paramref name="windowTo"/>) of <paramref name="clips"/> (one camera, oldest first) as one MP4 to
    /// <paramref name="destination"/>, decrypting with <paramref name="identities"/>; decrypted footage is staged only in memory.
    /// </summary>
    /// <returns>The clips that contributed footage.</returns>
    Task<int> ExportAsync(string dataRoot, IReadOnlyList<Clip> clips, DateTimeOffset windowFrom, DateTimeOffset windowTo, IReadOnlyList<IIdentity> identities,
        Stream destination, CancellationToken ct);
}

/// <summary>The audit entry of an export, the same from the CLI and from the console.</summary>
public static class ExportAudit
{
    public static AuditEvent Event(string owner, string camera, DateTimeOffset from, DateTimeOffset to) =>
        AuditEvent.VaultUnlocked(owner, "export", $"{camera} {Format(from)}..{Format(to)}");

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
