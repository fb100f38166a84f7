using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Keys;
using HomeVault.Recording.Export;

namespace HomeVault.Cli.Commands;

internal static partial class ClipsCommands
{
    static partial void AddExport(Command clips) => clips.Subcommands.Add(BuildExport());

    private static Command BuildExport()
    {
        var camera = new Option<string>("--camera") { Description = "The camera", Required = true, HelpName = "C" };
        var from = new Option<string>("--from") { Description = "Window start (RFC 3339 or YYYY-MM-DD)", Required = true, HelpName = "T" };
        var to = new Option<string>("--to") { Description = "Window end", Required = true, HelpName = "T" };
        var output = new Option<string>("--output", "-o") { Description = "The MP4 to write (plaintext: your own copy)", Required = true, HelpName = "OUT" };
        var owner = new Option<string?>("--owner") { Description = "Whose identity opens the clips (default: the only owner)", HelpName = "NAME" };
        var stripAudio = new Option<bool>("--strip-audio") { Description = "Leave the audio out" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("export", "Join a camera's clips over a time window into one MP4, trimmed at keyframes, without re-encoding")
        {
            camera, from, to, output, owner, stripAudio, passphraseFile,
        };
        command.SetAction(result =>
        {
            var f = TimeArgument.Parse(result.GetValue(from)!, "--from");
            var t = TimeArgument.Parse(result.GetValue(to)!, "--to");
            if (t <= f)
            {
                throw new UserError("--to must be after --from");
            }
            var outPath = Path.GetFullPath(result.GetValue(output)!);
            if (File.Exists(outPath))
            {
                throw new UserError($"output {outPath} already exists; choose another -o or remove it first");
            }
            if (!Directory.Exists(Path.GetDirectoryName(outPath)))
            {
                throw new UserError($"output directory {Path.GetDirectoryName(outPath)} does not exist");
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var cam = result.GetValue(camera)!;
            IReadOnlyList<Clip> clips;
            using (var read = vault.Catalog.Read())
            {
                if (!read.Cameras.ListNames().Contains(cam))
                {
                    throw new UserError($"unknown camera '{cam}'");
                }
                clips = read.Clips.Query(cam, f, t);
            }
            if (clips.Count == 0)
            {
                throw new UserError($"no footage of camera '{cam}' between {TimeArgument.Format(f)} and {TimeArgument.Format(t)}");
            }
            var who = vault.ResolveOwner(result.GetValue(owner));
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"Passphrase for owner '{who.Name}'");
            var temp = Path.Combine(Path.GetDirectoryName(outPath)!, $".{Path.GetFileName(outPath)}.partial-{Environment.ProcessId}.mp4");
            try
            {
                using var identity = new OwnerKeyStore(vault.Data).UnlockIdentity(who.Name, passphrase);
                Array.Clear(passphrase);
                vault.Record(ExportAudit.Event(who.Name, cam, f, t));
                var used = FootageExporter.ExportAsync(vault.Data.Root, clips, f, t, [identity], temp, result.GetValue(stripAudio)).GetAwaiter().GetResult();
                File.Move(temp, outPath);
                Console.Error.WriteLine($"exported {used} of {clips.Count} clips of '{cam}' ({clips.Count(c => c.State == ClipState.Truncated)} truncated)");
                Console.Out.WriteLine(outPath);
            }
            catch (ExportException ex)
            {
                throw new UserError(ex.Message);
            }
            finally
            {
                Array.Clear(passphrase);
                File.Delete(temp);
            }
            return CliApp.Ok;
        });
        return command;
    }
}
