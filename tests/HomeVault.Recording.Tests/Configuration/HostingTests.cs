using HomeVault.Recording.Releases;
using HomeVault.Recording.Service;
using HomeVault.Recording.Clips;
using HomeVault.Recording.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Tests.Configuration;

public sealed class HostingTests
{
    [Fact]
    public async Task Invalid_configuration_stops_the_host_at_start_naming_the_field()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HomeVault:DataDirectory"] = "/srv/hv",
            ["HomeVault:Cameras:0:Name"] = "Bad Name",
            ["HomeVault:Cameras:0:Url"] = "rtsp://u:hunter2@192.0.2.1/x",
        });
        builder.Services.AddSingleton<IClipSink>(new DirectorySink(Path.GetTempPath()));
        builder.Services.AddSingleton<IRecordingJournal>(new MemoryJournal());
        builder.Services.AddHomeVaultRecording(builder.Configuration);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(e.Failures, f => f.StartsWith("HomeVault:Cameras[0]:Name:", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("HomeVault:Cameras[0]:Url:", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_expiry_is_hosted_beside_the_recorder()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHomeVaultRecording(o => o.Configure(x => x.DataDirectory = "/srv/hv"));
        using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        Assert.Equal([typeof(RecorderService), typeof(ReleaseExpiryService)], hosted);
    }
}
