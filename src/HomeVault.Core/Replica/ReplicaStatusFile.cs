using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HomeVault.Core.IO;
using HomeVault.Core.Recorder;

namespace HomeVault.Core.Replica;

/// <summary>
/// What the running replicator publishes in status/replica.json every <see cref="RecorderStatus.PublishEvery"/>: how far
/// the bucket is behind (sealed clips not yet replicated, their bytes, the seconds since the oldest of them ended) and
/// the last error (never a secret: the S3 client's messages name no key), the clips local retention had to delete before
/// they were replicated, and the lag past which the replica counts as lagging (0: no alert). `cameras status`, /metrics,
/// the console and the webhooks read it.
/// </summary>
public sealed record ReplicaStatusFile(DateTimeOffset Written, int LagClips, long LagBytes, double LagSeconds, long Replicated, string? LastError,
    int NeverReplicated = 0, int AlertLagSeconds = 0)
{

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        TypeInfoResolver = ReplicaStatusJson.Default,
    };

    private static JsonTypeInfo<ReplicaStatusFile> TypeInfo { get; } = (JsonTypeInfo<ReplicaStatusFile>)JsonOptions.GetTypeInfo(typeof(ReplicaStatusFile));

    private static string PathIn(DataDirectory data) => Path.Combine(data.StatusDir, "replica.json");

    public void Write(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        OwnerOnly.Replace(PathIn(data), JsonSerializer.SerializeToUtf8Bytes(this, TypeInfo));
    }

    /// <summary>The published status while the replicator runs (fresh as the recorder's is), else null.</summary>
    public static ReplicaStatusFile? ReadFresh(DataDirectory data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            var status = JsonSerializer.Deserialize(File.ReadAllBytes(PathIn(data)), TypeInfo);
            return status is not null && now - status.Written < RecorderStatus.StaleAfter ? status : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(ReplicaStatusFile))]
internal sealed partial class ReplicaStatusJson : JsonSerializerContext;
