using HomeVault.Core.Replica;
using HomeVault.Tests;
using HomeVault.Web.Hosting;
using HomeVault.Web.Operations;

namespace HomeVault.Web.Tests;

/// <summary>/metrics' replica lag: what the running replicator publishes in status/replica.json, and nothing without it.</summary>
public sealed class ReplicaMetricsTests
{
    private static async Task<string> ScrapeAsync(HomeVaultMetrics metrics)
    {
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    [Fact]
    public async Task The_lag_is_exported_while_the_replicator_publishes_it()
    {
        using var installation = new TestInstallation("hvmetrics");
        Directory.CreateDirectory(installation.Data.StatusDir);
        using var catalog = new WebCatalog(installation.Data, TimeProvider.System);
        var metrics = new HomeVaultMetrics(catalog);

        var without = await ScrapeAsync(metrics);
        new ReplicaStatusFile(DateTimeOffset.UtcNow, 3, 1_234_567, 42.5, 7, null, NeverReplicated: 2).Write(installation.Data);
        var with = await ScrapeAsync(metrics);

        Assert.DoesNotMatch("(?m)^homevault_replica_lag_", without);
        Assert.Contains("homevault_replica_lag_seconds 42.5\n", with, StringComparison.Ordinal);
        Assert.Contains("homevault_replica_lag_bytes 1234567\n", with, StringComparison.Ordinal);
        Assert.Contains("homevault_replica_lag_clips 3\n", with, StringComparison.Ordinal);
        Assert.Contains("homevault_replica_never_replicated_clips 2\n", with, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?m)^homevault_replica_never_replicated_clips", without);
    }
}
