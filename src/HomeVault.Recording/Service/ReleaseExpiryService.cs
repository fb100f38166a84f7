using HomeVault.Core.Disclosure;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Recording.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Service;

/// <summary>
/// Deletes releases past their expiry (audited by <see cref="DisclosureService.ExpireDue"/>) once a minute, on its own
/// catalog connection, so an expired release does not outlive its approval by more than a minute while the
/// service runs. `homevault releases expire` does the same on demand.
/// </summary>
public sealed partial class ReleaseExpiryService(IOptions<HomeVaultOptions> options, ILogger<ReleaseExpiryService> log, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var data = new DataDirectory(options.Value.DataDirectory);
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                using var db = CatalogDatabase.Open(data.CatalogPath);
                using var disclosure = new DisclosureService(data, db, time);
                var expired = disclosure.ExpireDue();
                if (expired > 0)
                {
                    LogExpired(log, expired);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed run is retried at the next tick; the recorder keeps running.
                LogFailed(log, ex.GetType().Name, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} expired release(s) deleted")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "release expiry failed ({Kind}): {Message}")]
    private static partial void LogFailed(ILogger logger, string kind, string message);
}
