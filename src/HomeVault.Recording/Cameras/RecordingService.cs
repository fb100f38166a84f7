using HomeVault.Recording.Clips;
using HomeVault.Recording.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Cameras;

/// <summary>Hosts one <see cref="CameraSupervisor"/> per configured camera; each runs on its own.</summary>
public sealed class RecordingService : BackgroundService
{
    private readonly IReadOnlyList<CameraSupervisor> _supervisors;

    public RecordingService(IOptions<HomeVaultOptions> options, IClipSink sink, IRecordingJournal journal,
        ILoggerFactory loggers, TimeProvider time, SupervisorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _supervisors = options.Value.Cameras
            .Select(c => new CameraSupervisor(c, sink, journal, loggers.CreateLogger<CameraSupervisor>(), time, settings))
            .ToList();
    }

    public IReadOnlyList<CameraHealth> Health() => _supervisors.Select(s => s.Health).ToList();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_supervisors.Select(s => Task.Run(() => s.RunAsync(stoppingToken), CancellationToken.None)));
}
