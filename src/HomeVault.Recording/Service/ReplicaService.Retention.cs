using HomeVault.Core.Replica;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Service;

/// <summary>Retention off site, between uploads: a <see cref="RemoteRetention"/> sweep every <see cref="RemoteSweepEvery"/>.</summary>
public sealed partial class ReplicaService
{
    public static readonly TimeSpan RemoteSweepEvery = TimeSpan.FromMinutes(1);

    private DateTimeOffset _nextRemoteSweep = DateTimeOffset.MinValue;

    /// <summary>A store failure throws (the caller backs off, and the next attempt sweeps again); a refused delete is logged and waits.</summary>
    private async Task SweepRemoteIfDueAsync(RemoteRetention retention, CancellationToken ct)
    {
        if (options.RemoteRetentionDays <= 0 || time.GetUtcNow() < _nextRemoteSweep)
        {
            return;
        }
        _nextRemoteSweep = time.GetUtcNow() + RemoteSweepEvery;
        var report = await retention.SweepAsync(ct).ConfigureAwait(false);
        if (report.Deleted.Count > 0)
        {
            LogRemoteDeleted(log, report.Deleted.Count, options.RemoteRetentionDays, report.Deleted);
        }
        if (report.Refused.Count > 0)
        {
            LogRemoteRefused(log, report.Refused.Count, report.Refused[0].Error, RemoteRetention.RetryRefusedAfter.TotalMinutes);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "replica: remote retention deleted {Count} clip(s) older than {Days} days from the bucket: {ClipIds}")]
    private static partial void LogRemoteDeleted(ILogger logger, int count, int days, IReadOnlyList<long> clipIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replica: the bucket refused to delete {Count} expired clip(s) ({Error}); each is tried again in {Minutes} min")]
    private static partial void LogRemoteRefused(ILogger logger, int count, string error, double minutes);
}
