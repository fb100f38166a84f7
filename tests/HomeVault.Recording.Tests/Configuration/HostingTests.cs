using System.Text.Json;
using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
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
    public void Configuration_hash_input_is_what_the_reflection_serializer_wrote()
    {
        var config = new HomeVaultOptions
        {
            DataDirectory = "/var/lib/homevault",
            Retention = new RetentionOptions { Days = 14, MaxBytes = 5_000_000_000, MinFreeBytes = 1 << 30 },
        };
        config.Cameras.Add(new CameraOptions { Name = "yard", Url = "rtsp://10.0.0.9/a?x=1&y=<2>+é", CredentialsFile = "/run/c/yard", ClipSeconds = 30, Audio = AudioMode.Drop, RetainDays = 3, StallSeconds = 9 });
        config.Cameras.Add(new CameraOptions { Name = "front", Url = "rtsp://10.0.0.8/s" });
        // The shape the recorder hashed before it wrote the JSON itself: a changed byte would log a spurious config.changed on upgrade.
        var reference = JsonSerializer.SerializeToUtf8Bytes(new
        {
            config.Retention.Days,
            config.Retention.MaxBytes,
            config.Retention.MinFreeBytes,
            Cameras = config.Cameras.OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new { c.Name, c.Url, c.CredentialsFile, c.ClipSeconds, Audio = c.Audio.ToString(), c.RetainDays, c.StallSeconds }),
        });
        Assert.Equal(System.Text.Encoding.UTF8.GetString(reference), System.Text.Encoding.UTF8.GetString(RecorderService.ConfigurationShape(config)));
    }

    [Fact]
    public void Status_file_round_trips_with_camel_case_names_and_states()
    {
        var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var status = new CameraStatusFile(at, 42, [new CameraHealth("front", CameraState.Backoff, at, 123, 2, 3, "stall", at.AddSeconds(4), Ingest: "native", CameraClockSeconds: 3.25)]);
        var json = JsonSerializer.Serialize(status, CameraStatusFile.JsonOptions);
        Assert.Contains("\"state\": \"backoff\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lastFragmentAt\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cameraClockSeconds\": 3.25", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<CameraStatusFile>(json, CameraStatusFile.JsonOptions)!;
        Assert.Equal(status.Cameras.Single(), back.Cameras.Single());
        Assert.Equal(status.Written, back.Written);
    }

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
