using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Catalog;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Service;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault cameras status|test`.</summary>
internal static class CamerasCommands
{
    /// <summary>The recorder rewrites its status every 2 s; older than this, it is not running.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(15);

    public static Command Build()
    {
        var command = new Command("cameras", "Camera health and probing");
        command.Subcommands.Add(BuildStatus());
        command.Subcommands.Add(BuildTest());
        return command;
    }

    private static Command BuildStatus()
    {
        var command = new Command("status", "Each camera's health as the running recorder reports it, and its footage in the catalog");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var statusPath = Path.Combine(vault.Data.Root, "status", "cameras.json");
            CameraStatusFile? status = null;
            if (File.Exists(statusPath))
            {
                try
                {
                    status = JsonSerializer.Deserialize(File.ReadAllText(statusPath), CameraStatusFile.TypeInfo);
                }
                catch (JsonException)
                {
                    status = null;
                }
            }
            var now = DateTimeOffset.UtcNow;
            var running = status is not null && now - status.Written < Stale && status.Cameras.Any(c => c.State != CameraState.Stopped);
            Console.Out.WriteLine(running
                ? $"recorder running (pid {status!.ProcessId}), status from {TimeArgument.Format(status.Written)}"
                : $"recorder NOT running{(status is null ? "" : $" (last status {TimeArgument.Format(status.Written)})")}");
            if (running && status!.StorageProblem is { } problem)
            {
                Console.Out.WriteLine($"NOT RECORDING: {problem}");
            }
            if (ReplicaStatusFile.ReadFresh(vault.Data, now) is { } replica)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"replica: {replica.LagClips} clip(s), {replica.LagBytes} bytes, {replica.LagSeconds:0.#} s behind; {replica.Replicated} replicated since start{(replica.NeverReplicated > 0 ? $"; {replica.NeverReplicated} deleted locally before they were replicated" : "")}{(replica.LastError is { } re ? "; last error: " + re : "")}"));
            }
            using var read = vault.Catalog.Read();
            var clips = read.Clips.Query(from: now.AddDays(-1));
            var names = read.Cameras.ListNames().Union(status?.Cameras.Select(c => c.Name) ?? []).Order(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var health = status?.Cameras.FirstOrDefault(c => c.Name == name);
                var mine = clips.Where(c => c.Camera == name).ToList();
                var state = health is null ? "not configured" : running ? health.State.ToString().ToLowerInvariant() : "stopped";
                var last = mine.Count > 0 ? TimeArgument.Format(mine[^1].End) : "never";
                var down = running && health?.GapSince is { } since ? $"  no footage since {TimeArgument.Format(since)}: {health.GapCause}" : "";
                var ingest = running && health?.Ingest is { } how ? $"  ingest: {how}{(health.DescribeClock() is { } clock ? $", {clock}" : "")}" : "";
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-12} {state,-12} last footage {last}  clips in 24 h: {mine.Count}{ingest}{down}  {(health?.LastError is { } e ? "last error: " + e : "")}"));
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildTest()
    {
        var name = new Argument<string>("NAME") { Description = "A camera from the configuration file" };
        var command = new Command("test", "Probe a configured camera: codec, resolution, frame rate and audio") { name };
        command.SetAction(result =>
        {
            var (options, _) = ConfigLoader.Load(CommonOptions.ConfigFile(result), null);
            var cameraName = result.GetValue(name)!;
            var camera = options.Cameras.FirstOrDefault(c => c.Name == cameraName)
                ?? throw new UserError($"no camera named '{cameraName}' in the configuration (configured: {string.Join(", ", options.Cameras.Select(c => c.Name))})");
            try
            {
                var probe = CameraProbe.ProbeAsync(camera).GetAwaiter().GetResult();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{camera.Name}: video {probe.VideoCodec} {probe.Width}x{probe.Height} @ {probe.FrameRate:0.##} fps; audio {(probe.AudioCodec is null ? "none" : $"{probe.AudioCodec} {probe.AudioSampleRate} Hz")}"));
            }
            catch (CameraProbeException ex)
            {
                throw new UserError($"camera {camera.Name}: {ex.Message}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
