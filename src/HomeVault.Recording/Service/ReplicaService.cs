using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Service;

/// <summary>
/// The off-site replica beside the recorder: its own catalog connections and thread, so recording never waits on it.
/// Replicates every sealed clip the bucket lacks, oldest first; while the store fails it retries with exponential
/// backoff (1 s doubling to <see cref="MaxBackoff"/>). Every <see cref="RecorderStatus.PublishEvery"/>, however long an
/// upload takes, it publishes its lag in status/replica.json. Stopping it mid-upload loses nothing: the next start
/// aborts the interrupted multipart upload and sends the clip again. Before each clip, <see cref="MetaReplicator"/> sends
/// what a restore needs beside the clips (keys, catalog snapshot, the audit log's new entries) when it is due.
/// </summary>
public sealed partial class ReplicaService(ReplicaOptions options, ReplicaCredentials credentials, DataDirectory data, ILogger<ReplicaService> log, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private long _replicated;
    private volatile string? _lastError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host's start does not wait for the first upload
        // The recorder opens (and so migrates) the catalog first: its status file bearing this process's id says it has.
        while (RecorderStatus.Read(data) is not { } recorder || recorder.ProcessId != Environment.ProcessId)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken).ConfigureAwait(false);
        }
        var publishing = PublishAsync(stoppingToken);
        try
        {
            await ReplicateAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await publishing.ConfigureAwait(false);
        }
    }

    private async Task ReplicateAsync(CancellationToken stoppingToken)
    {
        using var store = new ObjectStore(options, credentials);
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var db = CatalogDatabase.Open(data.CatalogPath);
                var replicator = ClipReplicator.For(options, data, db, store, time);
                using var meta = MetaReplicator.For(options, data, db, store, time);
                using var catalog = new CatalogConnection(data, db, time);
                var retention = new RemoteRetention(catalog, store, new RequestLegalHolds(), options, time);
                LogStarted(log, options.Endpoint, options.Bucket);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await SweepRemoteIfDueAsync(retention, stoppingToken).ConfigureAwait(false);
                    // The keys, the catalog and the log go first: the clips they describe can wait a little, never the other way round.
                    if (await meta.SendDueAsync(stoppingToken).ConfigureAwait(false) is { Any: true } sent)
                    {
                        LogMetaSent(log, sent.Keys, sent.Catalog, sent.Segment?.First ?? -1, sent.Segment?.Next ?? -1);
                    }
                    if (await replicator.ReplicateNextAsync(stoppingToken).ConfigureAwait(false) is { } done)
                    {
                        Interlocked.Increment(ref _replicated);
                        _lastError = null;
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
                _lastError = error;
                LogFailed(log, error, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
            }
        }
    }

    /// <summary>status/replica.json every <see cref="RecorderStatus.PublishEvery"/>, from a connection of its own; a failure skips a tick.</summary>
    private async Task PublishAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var db = CatalogDatabase.Open(data.CatalogPath);
            var backlog = new ReplicaBacklog(db);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var now = time.GetUtcNow();
                    var lag = backlog.Lag();
                    new ReplicaStatusFile(now, lag.Clips, lag.Bytes, Math.Round(lag.Seconds(now), 1), Interlocked.Read(ref _replicated), _lastError,
                        backlog.NeverReplicated(), options.AlertLagSeconds).Write(data);
                }
                catch (Exception ex) when (ex is IOException or CatalogException or Microsoft.Data.Sqlite.SqliteException)
                {
                    LogStatusNotWritten(log, ex.Message);
                }
                await Task.Delay(RecorderStatus.PublishEvery, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is CatalogException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogStatusNotWritten(log, ex.Message); // the lag goes unpublished; replication goes on
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "replica: replicating sealed clips to {Endpoint} bucket {Bucket}")]
    private static partial void LogStarted(ILogger logger, string endpoint, string bucket);

    [LoggerMessage(Level = LogLevel.Information, Message = "replica: clip {ClipId} ({Bytes} bytes) replicated as {Key}")]
    private static partial void LogReplicated(ILogger logger, long clipId, long bytes, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "replica: sent keys {Keys}, catalog snapshot {Catalog}, audit entries {First}..{Next} (-1: none)")]
    private static partial void LogMetaSent(ILogger logger, bool keys, bool catalog, long first, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replica: {Error}; trying again in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replica: status file not written this time: {Error}")]
    private static partial void LogStatusNotWritten(ILogger logger, string error);
}
