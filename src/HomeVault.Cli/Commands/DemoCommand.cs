using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;
using HomeVault.Core.Keys;
using HomeVault.Core.Vault;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Processes;
using HomeVault.Recording.Simulation;
using Microsoft.Extensions.Hosting;

namespace HomeVault.Cli.Commands;

/// <summary>
/// `homevault demo`: synthetic cameras through the real pipeline into a fresh data directory, then
/// what was sealed, how to open it (with HomeVault and with stock age), the audit check, and a full
/// disclosure cycle (request, narrowed approval, release, verification).
/// </summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long to record", DefaultValueFactory = _ => 24, HelpName = "N" };
        var clipSeconds = new Option<int>("--clip-seconds") { Description = "Clip length", DefaultValueFactory = _ => 6, HelpName = "N" };
        var command = new Command("demo", "Record two synthetic cameras through the real pipeline into a fresh data directory and show the result") { seconds, clipSeconds };
        command.SetAction(result =>
        {
            var recordFor = result.GetValue(seconds);
            var clipFor = result.GetValue(clipSeconds);
            if (recordFor is < 5 or > 3600 || clipFor is < 2 or > 600)
            {
                throw new UserError("--seconds must be 5..3600 and --clip-seconds 2..600");
            }
            var root = result.GetValue(CommonOptions.Data) is { } d ? Path.GetFullPath(d) : Path.Combine(Path.GetTempPath(), "homevault-demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), "data");
            Run(new DataDirectory(root), recordFor, clipFor);
            return CliApp.Ok;
        });
        return command;
    }

    private static void Step(string text) => Console.Out.WriteLine($"\n== {text}");

    /// <summary>camsim.py ships beside the binary; what it logs is shown indented.</summary>
    private static CamsimProcess StartCameras(int seconds)
    {
        try
        {
            return CamsimProcess.Start(Path.Combine(AppContext.BaseDirectory, "camsim.py"),
                new CamsimSettings { Size = "1280x720", Seconds = seconds, Mounts = ["front", "drive"] },
                onStderrLine: line => Console.Error.WriteLine("  " + line));
        }
        catch (CamsimException e)
        {
            throw new UserError(e.Message);
        }
    }

    private static void Run(DataDirectory data, int recordFor, int clipFor)
    {
        var notEmpty = new UserError($"{data.Root} is not empty; the demo needs a fresh data directory");
        bool HasContent() => Directory.Exists(data.Root) && Directory.EnumerateFileSystemEntries(data.Root).Any(e => e != data.LockPath);
        if (HasContent() && !File.Exists(data.LockPath))
        {
            throw notEmpty; // not a recorder's directory: leave no lock file in it
        }
        // The demo is a recorder like serve: it locks its directory before making anything in it, so a second
        // demo on the same directory is told which process has it.
        Durable.CreatePrivateDirectory(data.Root);
        using var held = DataDirectoryLock.Acquire(data);
        if (HasContent())
        {
            throw notEmpty;
        }
        var parent = Path.GetDirectoryName(data.Root)!;
        var passFile = Path.Combine(parent, "demo-passphrase");
        var passphrase = ("demo " + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))).ToCharArray();
        File.WriteAllText(passFile, new string(passphrase) + "\n");
        File.SetUnixFileMode(passFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Step($"1. A fresh data directory {data.Root}, owner 'demo' (passphrase in {passFile})");
        var keys = InitCommand.Initialize(data, "demo", passphrase, DateTimeOffset.UtcNow);
        Console.Out.WriteLine($"   age recipient {keys.AgeRecipient}: every clip is sealed to this key; the recorder holds no private key");

        Step("2. Two synthetic RTSP cameras (GStreamer RTSP server; ffmpeg-encoded test pattern, 720p H.264)");
        using var cams = StartCameras(recordFor + 120);
        foreach (var (name, url) in cams.Urls)
        {
            Console.Out.WriteLine($"   {name}: {url}");
        }

        Step($"3. Recording for {recordFor} s: ffmpeg -c copy -> fragmented MP4 -> clips of {clipFor} s -> age -> fsync -> catalog -> audit log");
        var options = new HomeVaultOptions { DataDirectory = data.Root, Retention = new RetentionOptions { Days = 30, MaxBytes = 0, MinFreeBytes = 100_000_000 } };
        foreach (var (name, url) in cams.Urls)
        {
            options.Cameras.Add(new CameraOptions { Name = name, Url = url, ClipSeconds = clipFor });
        }
        if (HomeVaultOptionsValidator.ValidateAll(options) is { Count: > 0 } errors)
        {
            throw new UserError("demo configuration: " + errors[0]);
        }
        using (var host = ServeCommand.BuildHost(options))
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(recordFor)))
        {
            host.RunAsync(stop.Token).GetAwaiter().GetResult();
        }

        using var vault = Installation.Open(data.Root);
        IReadOnlyList<Clip> clips;
        using (var read = vault.Catalog.Read())
        {
            clips = read.Clips.Query();
        }
        Step($"4. What is on disk: {clips.Count} sealed clips (no plaintext video anywhere under {data.Root})");
        foreach (var c in clips)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {c.Camera,-6} {c.Start:HH:mm:ss.fff}-{c.End:HH:mm:ss.fff}  {c.CiphertextBytes,9} B  {ClipsCommands.Describe(c.State)}  {c.Path}"));
        }
        if (clips.Count == 0)
        {
            throw new UserError("the demo recorded nothing; see the log lines above");
        }

        var sample = clips[Math.Min(1, clips.Count - 1)];
        Step($"5. Opening {sample.Path} with the owner's passphrase (decrypted into ffprobe's stdin, never to disk)");
        using (var identity = new OwnerKeyStore(data).UnlockIdentity("demo", passphrase))
        {
            vault.Record(AuditEvent.VaultUnlocked("demo", "demo-probe", sample.Path));
            Console.Out.WriteLine("   " + Probe(Path.Combine(data.Root, sample.Path), identity));
        }

        Step("6. Audit log: every clip, run and unlock is a leaf of a Merkle tree with signed checkpoints");
        var report = vault.Audit.Verify(new AuditVerifyOptions { DataDirectory = data.Root });
        Console.Out.WriteLine("   " + (report.Ok ? $"verified: {report.Counts.Entries} entries, {report.Counts.Clips} clips linked, {report.Counts.ClipFilesHashed} files hashed" : "FAILED: " + report.FirstProblem));
        Console.Out.Write(Indent(vault.Audit.Checkpoint().Note));

        Step("7. Try it yourself");
        var exe = "homevault";
        Console.Out.WriteLine($"   {exe} clips list --data {data.Root}");
        Console.Out.WriteLine($"   {exe} decrypt --data {data.Root} --passphrase-file {passFile} -o /dev/shm/clip.mp4 {Path.Combine(data.Root, sample.Path)}");
        Console.Out.WriteLine($"   age -d {data.OwnerIdentityPath("demo")}   # stock age opens the identity with the passphrase");
        Console.Out.WriteLine($"   {exe} audit verify --data {data.Root}");
        if (!report.Ok)
        {
            throw new UserError("audit verification failed");
        }
        try
        {
            DemoDisclosure.Run(vault, "demo", passphrase, parent, Step);
        }
        finally
        {
            Array.Clear(passphrase);
        }
    }

    private static string Indent(string text) => string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => "   " + l + "\n"));

    /// <summary>Streams the decrypted clip into ffprobe and returns its one-line summary.</summary>
    private static string Probe(string clipPath, X25519Identity identity)
    {
        using var ffprobe = ChildProcess.Start("ffprobe",
            ["-v", "error", "-count_packets", "-show_entries", "stream=codec_name,width,height,r_frame_rate,nb_read_packets", "-of", "compact=p=0:nk=0", "-i", "pipe:0"],
            new ChildOptions { Input = ChildInput.Pipe, Output = true });
        using var reader = new StreamReader(ffprobe.StandardOutput);
        var output = reader.ReadToEndAsync();
        using (var input = File.OpenRead(clipPath))
        using (var plain = Age.DecryptingStream(input, [identity]))
        {
            try
            {
                plain.CopyTo(ffprobe.StandardInput);
            }
            catch (IOException)
            {
                // ffprobe may stop reading once it has what it needs.
            }
            ffprobe.CloseInput();
        }
        var exit = ffprobe.WaitForExitAsync().GetAwaiter().GetResult();
        var text = output.GetAwaiter().GetResult().Trim().Replace("\n", "; ", StringComparison.Ordinal);
        return exit.Success ? "ffprobe: " + text : "ffprobe failed: " + exit.Describe();
    }
}
