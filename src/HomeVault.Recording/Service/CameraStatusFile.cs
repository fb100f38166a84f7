using System.Text.Json;
using System.Text.Json.Serialization;
using HomeVault.Recording.Cameras;

namespace HomeVault.Recording.Service;

/// <summary>What the running recorder publishes about its cameras (no URLs, no credentials).</summary>
public sealed record CameraStatusFile(DateTimeOffset Written, int ProcessId, IReadOnlyList<CameraHealth> Cameras)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
