using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault serve`: the recorder as a hosted service (systemd notify + watchdog, journald-friendly logs).</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var duration = new Option<int?>("--duration") { Description = "Stop by itself after this many seconds (demos and benchmarks)", HelpName = "SECONDS" };
        var command = new Command("serve", "Run the recorder: every configured camera, sealed as it is written, with retention and audit checkpoints") { duration };
        command.SetAction(result =>
        {
            var (options, _) = ConfigLoader.Load(CommonOptions.ConfigFile(result), result.GetValue(CommonOptions.Data) ?? CommonOptions.NonEmptyEnv(CommonOptions.DataEnv));
            if (!new DataDirectory(options.DataDirectory).IsInitialized)
            {
                throw new UserError($"{options.DataDirectory} is not a HomeVault data directory (run 'homevault init --data {options.DataDirectory}' first)");
            }
            var seconds = result.GetValue(duration);
            if (seconds is <= 0)
            {
                throw new UserError("--duration must be a positive number of seconds");
            }
            using var host = BuildHost(options);
            using var stopAfter = seconds is { } s ? new CancellationTokenSource(TimeSpan.FromSeconds(s)) : new CancellationTokenSource();
            host.RunAsync(stopAfter.Token).GetAwaiter().GetResult();
            return CliApp.Ok;
        });
        return command;
    }

    internal static IHost BuildHost(HomeVaultOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = options.DataDirectory });
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();
        if (SystemdHelpers.IsSystemdService())
        {
            builder.Logging.AddSystemdConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }
        builder.Logging.SetMinimumLevel(LogLevel.Information);
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
        builder.Services.AddHostedService<WatchdogService>();
        return builder.Build();
    }
}
