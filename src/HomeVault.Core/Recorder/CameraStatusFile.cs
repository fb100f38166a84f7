using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HomeVault.Core.Recorder;

/// <summary>
/// What the running recorder publishes about its cameras (no URLs, no credentials). <see cref="StorageProblem"/>
/// says why recording cannot go on for lack of space (every clip left on legal hold), while it cannot.
/// </summary>
public sealed record CameraStatusFile(DateTimeOffset Written, int ProcessId, IReadOnlyList<CameraHealth> Cameras, string? StorageProblem = null)
{
    /// <summary>
    /// Source-generated metadata: the recorder writes this file every 2 s from its first seconds, and the
    /// reflection serializer's first use (reflection-emitted accessors, then their JIT) was a visible part
    /// of the recorder's start-up CPU.
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter<CameraState>(JsonNamingPolicy.CamelCase) },
        TypeInfoResolver = CameraStatusJson.Default,
    };

    /// <summary>The metadata to read and write the file with: no reflection, so it works in the native (AOT) build.</summary>
    public static JsonTypeInfo<CameraStatusFile> TypeInfo { get; } = (JsonTypeInfo<CameraStatusFile>)JsonOptions.GetTypeInfo(typeof(CameraStatusFile));
}

[JsonSerializable(typeof(CameraStatusFile))]
internal sealed partial class CameraStatusJson : JsonSerializerContext;
