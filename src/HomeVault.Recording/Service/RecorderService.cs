using System.Text.Json;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.IO;
using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Live;
using HomeVault.Recording.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Service;

/// <summary>
/// The recorder: frees space if the disk is full, reconciles what a crash left, then runs one supervisor per
/// camera into the sealed clip store, keeps free space by retention (<see cref="StorageGuard"/>), makes audit
/// checkpoints when due, and publishes each camera's health to status/cameras.json for `homevault cameras status`.
/// An unexpected exception ends the service with a failure (the CLI exits non-zero, so systemd restarts it).
/// </summary>
public sealed partial class RecorderService(
    IOptions<HomeVaultOptions> options,
    ILoggerFactory loggers,
    TimeProvider time,
    SupervisorSettings? supervisorSettings = null,
    LiveFeed? live = null) : BackgroundService
{
    public static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    /// <summary>While the disk is too full to even open the catalog at start, how often to try again.</summary>
    public static readonly TimeSpan StartRetryEvery = TimeSpan.FromSeconds(5);

    private readonly ILogger _log = loggers.CreateLogger<RecorderService>();
    private readonly List<CameraSupervisor> _supervisors = [];
    private StorageGuard? _guard;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var config = options.Value;
        var data = new DataDirectory(config.DataDirectory);
        using var held = DataDirectoryLock.Acquire(data); // shares the lock serve or demo took before anything else
        var rules = new RetentionRules(config.Retention.Days, config.Retention.MaxBytes <= 0 ? long.MaxValue : config.Retention.MaxBytes,
            config.Retention.MinFreeBytes, config.Cameras.Where(c => c.RetainDays is not null).ToDictionary(c => c.Name, c => c.RetainDays!.Value),
            UntilReplicated: config.Replica is not null);
        Durable.CreatePrivateDirectory(data.StatusDir);

        // A full disk at start is no reason to stop: free space first (reserve, then retention), then repair.
        // One moment for the start: a crash's gaps end there and every camera's first gap begins there.
        Opened? opened = null;
        var startedAt = time.GetUtcNow();
        while (opened is null)
        {
            try
            {
                StorageGuard.ReleaseReserveIfFull(data, rules, _log);
                opened = Open(data, held, rules, startedAt = time.GetUtcNow());
            }
            catch (Exception ex) when (DiskFull.Is(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogStartBlocked(_log, ex.Message);
                await Task.Delay(StartRetryEvery, time, stoppingToken).ConfigureAwait(false);
            }
        }
        using var db = opened.Db;
        using var audit = opened.Audit;
        var store = opened.Store;
        _guard = opened.Guard;

        var sink = new SealedClipSink(store);
        foreach (var camera in config.Cameras)
        {
            _supervisors.Add(new CameraSupervisor(camera, sink, sink, loggers.CreateLogger<CameraSupervisor>(), time, supervisorSettings, _guard, live));
        }
        var cameraTasks = _supervisors.Select(s => Task.Run(() => s.RunAsync(stoppingToken, startedAt), CancellationToken.None)).ToList();

        var nextSweep = time.GetUtcNow() + SweepEvery;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Disk pressure cannot wait for the minute: every tick looks at free space.
                var sweepDue = time.GetUtcNow() >= nextSweep;
                _guard.Tick(sweepDue);
                if (sweepDue)
                {
                    nextSweep = time.GetUtcNow() + SweepEvery;
                }
                SealAbandoned(store);
                Checkpoint(store);
                WriteStatus(data);
                await Task.Delay(RecorderStatus.PublishEvery, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the supervisors stop ffmpeg with 'q' and seal their open clips.
        }
        await Task.WhenAll(cameraTasks).ConfigureAwait(false);
        SealAbandoned(store);
        WriteStatus(data);
        Checkpoint(store, force: true);
        LogStopped(_log);
    }

    private sealed record Opened(Microsoft.Data.Sqlite.SqliteConnection Db, InstallationAudit Audit, ClipStore Store, StorageGuard Guard);

    /// <summary>Opens the catalog and the log, frees space if the disk is short, repairs what a crash left.</summary>
    private Opened Open(DataDirectory data, DataDirectoryLock held, RetentionRules rules, DateTimeOffset startedAt)
    {
        var db = CatalogDatabase.Open(data.CatalogPath);
        InstallationAudit? audit = null;
        try
        {
            audit = InstallationAudit.Open(data, db, time);
            var store = new ClipStore(data, db, audit.Log, time);
            var sweeper = new RetentionSweeper(store, new RequestLegalHolds(), time);
            var guard = new StorageGuard(data, sweeper, rules, loggers.CreateLogger<StorageGuard>(), time);
            if (guard.FreeBytes < guard.RoomBytes)
            {
                guard.TryMakeRoom();
            }
            var report = ClipReconciler.Reconcile(store, held, time, startedAt);
            LogReconciled(_log, report.TruncatedClips.Count, report.MissingFiles.Count, report.RunsClosed, report.OrphanFiles.Count);
            foreach (var orphan in report.OrphanFiles)
            {
                LogOrphan(_log, orphan);
            }
            RecordConfiguration(store, options.Value);
            return new Opened(db, audit, store, guard);
        }
        catch
        {
            audit?.Dispose();
            db.Dispose();
            throw;
        }
    }

    /// <summary>Clips whose completion a full disk failed are sealed as truncated as soon as there is room for it.</summary>
    private void SealAbandoned(ClipStore store)
    {
        if (!store.HasAbandoned)
        {
            return;
        }
        try
        {
            store.SealAbandoned();
        }
        catch (Exception ex) when (DiskFull.Is(ex))
        {
            LogSealDeferred(_log, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "clips cut short by a full disk are sealed once there is room: {Error}")]
    private static partial void LogSealDeferred(ILogger logger, string error);

    /// <summary>A checkpoint that cannot be written now (a full disk) is made at the next tick; it is no reason to stop.</summary>
    private void Checkpoint(ClipStore store, bool force = false)
    {
        try
        {
            store.Checkpoint(force);
        }
        catch (Exception ex) when (DiskFull.Is(ex))
        {
            LogCheckpointDeferred(_log, ex.Message);
            _guard?.TryMakeRoom();
        }
    }

    /// <summary>A configuration unlike the last one the recorder ran with is logged (what is recorded, and how long it is kept).</summary>
    private void RecordConfiguration(ClipStore store, HomeVaultOptions config)
    {
        var json = ConfigurationShape(config);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json));
        using (var read = store.Catalog.Read())
        {
            if (read.Settings.Get("config_sha256") == sha)
            {
                return;
            }
        }
        using (var work = store.Catalog.Write())
        {
            work.Append(new AuditEvent(ClipStore.Actor, AuditActions.ConfigChanged, "config", new Dictionary<string, string>
            {
                ["sha256"] = sha,
                ["cameras"] = string.Join(",", config.Cameras.Select(c => c.Name).Order(StringComparer.Ordinal)),
                ["retention_days"] = config.Retention.Days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            work.Settings.Set("config_sha256", sha);
            work.Commit();
        }
        LogConfigChanged(_log, sha[..12]);
    }

    /// <summary>
    /// The JSON whose hash identifies a configuration: byte for byte what serializing an anonymous
    /// { Days, MaxBytes, MinFreeBytes, Cameras: [{ Name, Url, CredentialsFile, ClipSeconds, Audio, RetainDays,
    /// StallSeconds[, TlsFingerprint when set] }] } gave (so an upgrade does not log a change), written directly to spare the start-up
    /// the reflection serializer.
    /// </summary>
    internal static byte[] ConfigurationShape(HomeVaultOptions config)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("Days", config.Retention.Days);
            w.WriteNumber("MaxBytes", config.Retention.MaxBytes);
            w.WriteNumber("MinFreeBytes", config.Retention.MinFreeBytes);
            w.WriteStartArray("Cameras");
            foreach (var c in config.Cameras.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("Name", c.Name);
                w.WriteString("Url", c.Url);
                w.WriteString("CredentialsFile", c.CredentialsFile);
                w.WriteNumber("ClipSeconds", c.ClipSeconds);
                w.WriteString("Audio", c.Audio.ToString());
                if (c.RetainDays is { } days)
                {
                    w.WriteNumber("RetainDays", days);
                }
                else
                {
                    w.WriteNull("RetainDays");
                }
                w.WriteNumber("StallSeconds", c.StallSeconds);
                if (c.TlsFingerprint is { } pin)
                {
                    w.WriteString("TlsFingerprint", pin); // only when set: a configuration without one hashes as before
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "configuration changed since the last run (sha256 {Sha}...); logged")]
    private static partial void LogConfigChanged(ILogger logger, string sha);

    /// <summary>
    /// status/cameras.json, replaced atomically. A full disk makes room and skips this tick: the status file
    /// is a convenience, never a reason for the recorder to stop.
    /// </summary>
    private void WriteStatus(DataDirectory data)
    {
        var snapshot = new CameraStatusFile(time.GetUtcNow(), Environment.ProcessId, _supervisors.Select(s => s.Health).ToList(), _guard?.Problem);
        try
        {
            OwnerOnly.Replace(Path.Combine(data.StatusDir, "cameras.json"), JsonSerializer.SerializeToUtf8Bytes(snapshot, CameraStatusFile.TypeInfo));
        }
        catch (IOException ex)
        {
            LogStatusNotWritten(_log, ex.Message);
            if (DiskFull.Is(ex))
            {
                _guard?.TryMakeRoom();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "status file not written this time: {Error}")]
    private static partial void LogStatusNotWritten(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "disk full at start: cannot open or repair the catalog yet; trying again in a few seconds ({Error})")]
    private static partial void LogStartBlocked(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "audit checkpoint deferred: {Error}")]
    private static partial void LogCheckpointDeferred(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "reconciled after start: {Truncated} clips sealed as truncated, {Missing} missing files, {Runs} runs closed, {Orphans} orphan files")]
    private static partial void LogReconciled(ILogger logger, int truncated, int missing, int runs, int orphans);

    [LoggerMessage(Level = LogLevel.Warning, Message = "orphan file not in the catalog (left in place): {Path}")]
    private static partial void LogOrphan(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "recorder stopped; open clips sealed")]
    private static partial void LogStopped(ILogger logger);
}
