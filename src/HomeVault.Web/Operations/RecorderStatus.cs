using System.Text.Json;
using HomeVault.Core;
using HomeVault.Recording.Service;

namespace HomeVault.Web.Operations;

/// <summary>The recorder's published camera health (status/cameras.json), as `homevault cameras status` reads it.</summary>
public static class RecorderStatus
{
    /// <summary>Older than this, the recorder is taken to be not running.</summary>
    public static readonly TimeSpan StaleAfter = RecorderService.StatusEvery * 5;

    public static CameraStatusFile? Read(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(data.Root, "status", "cameras.json");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CameraStatusFile.TypeInfo);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static bool IsFresh(CameraStatusFile? status, DateTimeOffset now) => status is not null && now - status.Written < StaleAfter;
}
