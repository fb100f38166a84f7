using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core;
using HomeVault.Core.IO;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Export;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.ReleasedClips;
using HomeVault.Recording.Service;
using HomeVault.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault serve`: the recorder as a hosted service (systemd notify + watchdog, journald-friendly logs).</summary>
internal static partial class ServeCommand
{
    public static Command Build()
    {
        var duration = new Option<int?>("--duration") { Description = "Stop by itself after this many seconds (demos and benchmarks)", HelpName = "SECONDS" };
        var command = new Command("serve", "Run the recorder: every configured camera, sealed as it is written, with retention and audit checkpoints") { duration };
        command.SetAction(result =>
        {
            var (options, configuration) = ConfigLoader.Load(CommonOptions.ConfigFile(result), result.GetValue(CommonOptions.Data) ?? CommonOptions.NonEmptyEnv(CommonOptions.DataEnv));
            var data = new DataDirectory(options.DataDirectory);
            if (!data.IsInitialized)
            {
                throw new UserError($"{options.DataDirectory} is not a HomeVault data directory (run 'homevault init --data {options.DataDirectory}' first)");
            }
            var seconds = result.GetValue(duration);
            if (seconds is <= 0)
            {
                throw new UserError("--duration must be a positive number of seconds");
            }
            var web = LoadWebOptions(configuration);
            // Read once here, so that an unreadable file stops serve at once with one line; never logged.
            var replicaCredentials = options.Replica is { } replica ? ReplicaCredentials.Load(replica.CredentialsFile) : null;
            // Before anything in the data directory is read or written: a second recorder stops here.
            using var held = DataDirectoryLock.Acquire(data);
            using var host = BuildHost(options, web, replicaCredentials);
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServeCommand).FullName!);
            foreach (var problem in OwnerOnly.TightenDataDirectory(data))
            {
                LogNotOwnerOnly(log, problem);
            }
            RemoveLegacyCredentialFiles(log);
            using var stopAfter = seconds is { } s ? new CancellationTokenSource(TimeSpan.FromSeconds(s)) : new CancellationTokenSource();
            // The host stops when a hosted service fails, and then returns normally: that must not read as
            // success, or systemd's Restart=on-failure would leave the recorder down.
            var services = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
            try
            {
                host.RunAsync(stopAfter.Token).GetAwaiter().GetResult();
            }
            finally
            {
                RemoveLegacyCredentialFiles(log);
            }
            var failed = services.FirstOrDefault(s => s.ExecuteTask?.IsFaulted == true);
            if (failed is not null)
            {
                var error = failed.ExecuteTask!.Exception!.GetBaseException();
                throw new UserError($"serve: {failed.GetType().Name} failed: {error.GetType().Name}: {error.Message}");
            }
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>
    /// Earlier versions handed camera passwords to ffmpeg in files under the temporary or runtime directory,
    /// which a kill -9 left behind; they go at every start and stop (this version writes none).
    /// </summary>
    private static void RemoveLegacyCredentialFiles(ILogger log)
    {
        try
        {
            if (IngestInput.RemoveLegacyFiles() is > 0 and var n)
            {
                LogLegacyRemoved(log, n);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLegacyNotRemoved(log, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot make owner-only: {Problem}")]
    private static partial void LogNotOwnerOnly(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "removed {Count} ffmpeg input files holding camera credentials that an earlier version left behind")]
    private static partial void LogLegacyRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot remove ffmpeg input files an earlier version left with camera credentials: {Error}")]
    private static partial void LogLegacyNotRemoved(ILogger logger, string error);

    /// <summary>The <c>Http</c> section, validated; null when absent (the recorder runs without the web side).</summary>
    internal static WebOptions? LoadWebOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(WebOptions.SectionName);
        if (!section.Exists())
        {
            return null;
        }
        var web = new WebOptions();
        try
        {
            section.Bind(web, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new UserError($"configuration: {ex.Message.Split('\n')[0].Trim()}");
        }
        var problems = ListenerUrls.Validate(web);
        if (problems.Count > 0)
        {
            throw new UserError($"configuration: {problems[0]}");
        }
        return web;
    }

    internal static IHost BuildHost(HomeVaultOptions options, WebOptions? web = null, ReplicaCredentials? replicaCredentials = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = options.DataDirectory });
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.Services.AddHomeVaultRecording(o => o.Configure(target =>
        {
            target.DataDirectory = options.DataDirectory;
            target.Retention = options.Retention;
            foreach (var camera in options.Cameras)
            {
                target.Cameras.Add(camera);
            }
        }));
        if (web is not null)
        {
            builder.Services.AddHostedService(sp => new WebHostedService(web, options.DataDirectory, new ReleaseMedia(), new FootageExport(), ConfigureLogging, sp.GetRequiredService<ILogger<WebHostedService>>(),
                (sp.GetRequiredService<ILiveFeed>(), sp.GetRequiredService<ICameraStills>())));
        }
        if (options.Replica is { } replica && replicaCredentials is not null)
        {
            builder.Services.AddHostedService(sp => new ReplicaService(replica, replicaCredentials, new DataDirectory(options.DataDirectory),
                sp.GetRequiredService<ILogger<ReplicaService>>(), TimeProvider.System));
        }
        builder.Services.AddHostedService<WatchdogService>();
        return builder.Build();
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        if (SystemdHelpers.IsSystemdService())
        {
            logging.AddSystemdConsole();
        }
        else
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }
        logging.SetMinimumLevel(LogLevel.Information);
        // ASP.NET's per-request logs would put every URL (capability links included) in the journal.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    }
}
