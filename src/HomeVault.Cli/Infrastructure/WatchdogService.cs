using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace HomeVault.Cli.Infrastructure;

/// <summary>
/// Pings systemd's watchdog at half its interval (WatchdogSec= in the unit). The hosting package
/// sends READY and STOPPING but not WATCHDOG=1; without pings systemd would restart a healthy service.
/// </summary>
internal sealed class WatchdogService(ISystemdNotifier? notifier = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // AddSystemd registers the notifier only when started by systemd.
        if (notifier is null || !notifier.IsEnabled || !long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return;
        }
        var every = TimeSpan.FromMicroseconds(usec / 2.0);
        using var timer = new PeriodicTimer(every);
        do
        {
            notifier.Notify(new ServiceState("WATCHDOG=1"));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
