using System.Security.Cryptography;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Vault;

namespace HomeVault.Recording.Export;

/// <summary>
/// Core's <see cref="IFootageExport"/> for the console: <see cref="FootageExporter"/> into its private RAM-backed directory,
/// then the MP4 copied to the caller's stream and deleted, so the decrypted export never reaches persistent storage.
/// </summary>
public sealed class FootageExport(string ffmpegPath = "ffmpeg") : IFootageExport
{
    public async Task<int> ExportAsync(string dataRoot, IReadOnlyList<Clip> clips, DateTimeOffset windowFrom, DateTimeOffset windowTo, IReadOnlyList<IIdentity> identities,
        Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var work = FootageExporter.CreatePrivateRamDirectory();
        var buffer = new byte[1 << 16];
        try
        {
            var mp4 = Path.Combine(work, "export.mp4");
            var used = await FootageExporter.ExportAsync(dataRoot, clips, windowFrom, windowTo, identities, mp4, ffmpegPath: ffmpegPath, ct: ct).ConfigureAwait(false);
            var file = File.OpenRead(mp4);
            await using (file.ConfigureAwait(false))
            {
                int n;
                while ((n = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                }
            }
            return used;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            Directory.Delete(work, recursive: true);
        }
    }
}
