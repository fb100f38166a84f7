using System.Text.Json;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.IO;
using HomeVault.Core.Warrants;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Service;

/// <summary>
/// The recorder: reconciles what a crash left, then runs one supervisor per camera into the sealed
/// clip store, sweeps retention every minute, makes audit checkpoints when due, and publishes each
/// camera's health to status/cameras.json for `homevault cameras status`.
/// </summary>
public sealed partial class RecorderService(
    IOptions<HomeVaultOptions> options,
    ILoggerFactory loggers,
    TimeProvider time,
    SupervisorSettings? supervisorSettings = null) : BackgroundService
{
    public static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PressureSweepEvery = TimeSpan.FromSeconds(10);

    private readonly ILogger _log = loggers.CreateLogger<RecorderService>();
    private readonly List<CameraSupervisor> _supervisors = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var config = options.Value;
        var data = new DataDirectory(config.DataDirectory);
        using var held = DataDirectoryLock.Acquire(data); // shares the lock serve or demo took before anything else
        using var db = CatalogDatabase.Open(data.CatalogPath);
        using var audit = InstallationAudit.Open(data, db, time);
        var store = new ClipStore(data, db, audit.Log, time);

        var report = ClipReconciler.Reconcile(store, held, time);
        LogReconciled(_log, report.TruncatedClips.Count, report.MissingFiles.Count, report.RunsClosed, report.OrphanFiles.Count);
        foreach (var orphan in report.OrphanFiles)
        {
            LogOrphan(_log, orphan);
        }

        RecordConfiguration(store, config);
        var sink = new SealedClipSink(store);
        foreach (var camera in config.Cameras)
        {
            _supervisors.Add(new CameraSupervisor(camera, sink, sink, loggers.CreateLogger<CameraSupervisor>(), time, supervisorSettings));
        }
        var cameraTasks = _supervisors.Select(s => Task.Run(() => s.RunAsync(stoppingToken), CancellationToken.None)).ToList();
        var sweeper = new RetentionSweeper(store, new RequestLegalHolds(new RequestRepository(db, time)), time);
        var rules = new RetentionRules(config.Retention.Days, config.Retention.MaxBytes <= 0 ? long.MaxValue : config.Retention.MaxBytes,
            config.Retention.MinFreeBytes, config.Cameras.Where(c => c.RetainDays is not null).ToDictionary(c => c.Name, c => c.RetainDays!.Value));
        Durable.CreatePrivateDirectory(data.StatusDir);

        var nextSweep = time.GetUtcNow();
        var nextPressureSweep = nextSweep;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Disk pressure cannot wait for the minute: sweep as soon as free space runs short.
                var now = time.GetUtcNow();
                if (now >= nextSweep || (now >= nextPressureSweep && FreeBytes(data) < config.Retention.MinFreeBytes))
                {
                    nextPressureSweep = now + PressureSweepEvery;
                    Sweep(sweeper, rules);
                    nextSweep = time.GetUtcNow() + SweepEvery;
                }
                store.Checkpoint();
                WriteStatus(data);
                await Task.Delay(StatusEvery, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the supervisors stop ffmpeg with 'q' and seal their open clips.
        }
        await Task.WhenAll(cameraTasks).ConfigureAwait(false);
        WriteStatus(data);
        store.Checkpoint(force: true);
        LogStopped(_log);
    }

    private void Sweep(RetentionSweeper sweeper, RetentionRules rules)
    {
        try
        {
            var r = sweeper.Sweep(rules);
            if (r.Deleted.Count > 0 || !r.BudgetMet)
            {
                LogSwept(_log, r.Deleted.Count, r.BytesFreed, r.HeldClipsKept, r.BudgetMet);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CatalogException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogSweepFailed(_log, ex.Message);
        }
    }

    /// <summary>A configuration unlike the last one the recorder ran with is logged (what is recorded, and how long it is kept).</summary>
    private void RecordConfiguration(ClipStore store, HomeVaultOptions config)
    {
        var json = ConfigurationShape(config);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json));
        var changed = store.Locked((db, audit) =>
        {
            var settings = new SettingsRepository(db);
            if (settings.Get("config_sha256") == sha)
            {
                return false;
            }
            using var tx = db.BeginTransaction();
            audit.Append(new AuditEvent(ClipStore.Actor, AuditActions.ConfigChanged, "config", new Dictionary<string, string>
            {
                ["sha256"] = sha,
                ["cameras"] = string.Join(",", config.Cameras.Select(c => c.Name).Order(StringComparer.Ordinal)),
                ["retention_days"] = config.Retention.Days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }), tx);
            settings.Set("config_sha256", sha, tx);
            tx.Commit();
            return true;
        });
        if (changed)
        {
            LogConfigChanged(_log, sha[..12]);
        }
    }

    /// <summary>
    /// The JSON whose hash identifies a configuration: byte for byte what serializing an anonymous
    /// { Days, MaxBytes, MinFreeBytes, Cameras: [{ Name, Url, CredentialsFile, ClipSeconds, Audio, RetainDays,
    /// StallSeconds }] } gave (so an upgrade does not log a change), written directly to spare the start-up
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
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "configuration changed since the last run (sha256 {Sha}...); logged")]
    private static partial void LogConfigChanged(ILogger logger, string sha);

    private static long FreeBytes(DataDirectory data)
    {
        try
        {
            return new DriveInfo(data.Root).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return long.MaxValue;
        }
    }

    private void WriteStatus(DataDirectory data)
    {
        var snapshot = new CameraStatusFile(time.GetUtcNow(), Environment.ProcessId, _supervisors.Select(s => s.Health).ToList());
        OwnerOnly.Replace(Path.Combine(data.StatusDir, "cameras.json"), JsonSerializer.SerializeToUtf8Bytes(snapshot, CameraStatusFile.TypeInfo));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "reconciled after start: {Truncated} clips sealed as truncated, {Missing} missing files, {Runs} runs closed, {Orphans} orphan files")]
    private static partial void LogReconciled(ILogger logger, int truncated, int missing, int runs, int orphans);

    [LoggerMessage(Level = LogLevel.Warning, Message = "orphan file not in the catalog (left in place): {Path}")]
    private static partial void LogOrphan(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: deleted {Count} clips ({Bytes} bytes), kept {Held} on legal hold, budget met: {Met}")]
    private static partial void LogSwept(ILogger logger, int count, long bytes, int held, bool met);

    [LoggerMessage(Level = LogLevel.Error, Message = "retention sweep failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "recorder stopped; open clips sealed")]
    private static partial void LogStopped(ILogger logger);
}
