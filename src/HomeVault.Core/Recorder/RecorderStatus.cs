using System.Text.Json;
namespace HomeVault.Core.Recorder;

/// <summary>
/// The recorder's published camera health (status/cameras.json): the recorder writes it every
/// <see cref="PublishEvery"/>, the console, /healthz, /metrics and webhooks read it here, so the web side needs
/// nothing of the recorder but this file.
/// </summary>
public static class RecorderStatus
{
    /// <summary>How often the running recorder rewrites status/cameras.json.</summary>
    public static readonly TimeSpan PublishEvery = TimeSpan.FromSeconds(2);

    /// <summary>Older than this, the recorder is taken to be not running.</summary>
    public static readonly TimeSpan StaleAfter = PublishEvery * 5;

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
