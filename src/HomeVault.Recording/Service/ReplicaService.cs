using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Service;

/// <summary>
/// The off-site replica beside the recorder: its own catalog connection and thread, so recording never waits on it.
/// Replicates every sealed clip the bucket lacks, oldest first; while the store fails it retries with exponential
/// backoff (1 s doubling to <see cref="MaxBackoff"/>); publishes its lag in status/replica.json. Stopping it mid-upload
/// loses nothing: the next start aborts the interrupted multipart upload and sends the clip again.
/// </summary>
public sealed partial class ReplicaService(ReplicaOptions options, ReplicaCredentials credentials, DataDirectory data, ILogger<ReplicaService> log, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private ReplicaStatusFile _status = new(DateTimeOffset.MinValue, 0, 0, 0, 0, null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host's start does not wait for the first upload
        using var store = new ObjectStore(options, credentials);
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Opened here, after the recorder's own open has migrated the catalog (a race is one retry).
                using var db = CatalogDatabase.Open(data.CatalogPath);
                var backlog = new ReplicaBacklog(db);
                var replicator = new ClipReplicator(data, backlog, ReplicaKeys.Load(db, options.Prefix), store,
                    new Throttle(options.BandwidthBytesPerSecond, time), options.ObjectLockDays, time);
                LogStarted(log, options.Endpoint, options.Bucket);
                while (!stoppingToken.IsCancellationRequested)
                {
                    Publish(backlog);
                    if (await replicator.ReplicateNextAsync(stoppingToken).ConfigureAwait(false) is { } done)
                    {
                        _status = _status with { Replicated = _status.Replicated + 1 };
                        LogReplicated(log, done.ClipId, done.Bytes, done.Key);
                        backoff = TimeSpan.FromSeconds(1);
                        continue;
                    }
                    await Task.Delay(RecorderStatus.PublishEvery, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var error = $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
                LogFailed(log, error, backoff.TotalSeconds);
                PublishError(error);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
            }
        }
    }

    private void Publish(ReplicaBacklog backlog)
    {
        var now = time.GetUtcNow();
        if (now - _status.Written < RecorderStatus.PublishEvery)
        {
            return;
        }
        var lag = backlog.Lag();
        _status = _status with { Written = now, LagClips = lag.Clips, LagBytes = lag.Bytes, LagSeconds = Math.Round(lag.Seconds(now), 1), LastError = null };
        TryWrite();
    }

    private void PublishError(string error)
    {
        _status = _status with { Written = time.GetUtcNow(), LastError = error };
        TryWrite();
    }

    private void TryWrite()
    {
        try
        {
            _status.Write(data);
        }
        catch (IOException ex)
        {
            LogStatusNotWritten(log, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "replica: replicating sealed clips to {Endpoint} bucket {Bucket}")]
    private static partial void LogStarted(ILogger logger, string endpoint, string bucket);

    [LoggerMessage(Level = LogLevel.Information, Message = "replica: clip {ClipId} ({Bytes} bytes) replicated as {Key}")]
    private static partial void LogReplicated(ILogger logger, long clipId, long bytes, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replica: {Error}; trying again in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replica: status file not written this time: {Error}")]
    private static partial void LogStatusNotWritten(ILogger logger, string error);
}
