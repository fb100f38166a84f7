using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Catalog;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault clips list|export`: the owners' own footage.</summary>
internal static partial class ClipsCommands
{
    public static Command Build()
    {
        var command = new Command("clips", "List and export the recorded footage");
        command.Subcommands.Add(BuildList());
        AddExport(command);
        return command;
    }

    static partial void AddExport(Command clips);

    private static Command BuildList()
    {
        var camera = new Option<string?>("--camera") { Description = "Only this camera", HelpName = "C" };
        var from = new Option<string?>("--from") { Description = "Clips ending after this time (RFC 3339 or YYYY-MM-DD)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "Clips starting before this time", HelpName = "T" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (camera, start, end, bytes, state, sha256, path)" };
        var command = new Command("list", "List sealed clips, oldest first") { camera, from, to, json };
        command.SetAction(result =>
        {
            var f = TimeArgument.ParseOptional(result.GetValue(from), "--from");
            var t = TimeArgument.ParseOptional(result.GetValue(to), "--to");
            if (f is not null && t is not null && t <= f)
            {
                throw new UserError("--to must be after --from");
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var cam = result.GetValue(camera);
            using var read = vault.Catalog.Read();
            if (cam is not null && !read.Cameras.ListNames().Contains(cam))
            {
                throw new UserError($"unknown camera '{cam}' (this data directory has: {string.Join(", ", read.Cameras.ListNames())})");
            }
            var clips = read.Clips.Query(cam, f, t);
            if (result.GetValue(json))
            {
                WriteJson(clips);
                return CliApp.Ok;
            }
            foreach (var c in clips)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{c.Camera,-12} {TimeArgument.Format(c.Start)}  {TimeArgument.Format(c.End)}  {(c.End - c.Start).TotalSeconds,6:0.0}s {c.CiphertextBytes,12} B  {Describe(c.State),-9} {c.Path}"));
            }
            Console.Error.WriteLine($"{clips.Count} clips, {clips.Sum(c => c.CiphertextBytes)} bytes");
            return CliApp.Ok;
        });
        return command;
    }

    private static void WriteJson(IReadOnlyList<Clip> clips)
    {
        using var writer = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        writer.WriteStartArray();
        foreach (var c in clips)
        {
            writer.WriteStartObject();
            writer.WriteString("camera", c.Camera);
            writer.WriteString("start", TimeArgument.Format(c.Start));
            writer.WriteString("end", TimeArgument.Format(c.End));
            writer.WriteNumber("bytes", c.CiphertextBytes);
            writer.WriteNumber("plaintextBytes", c.PlaintextBytes);
            writer.WriteString("state", Describe(c.State));
            writer.WriteString("sha256", c.Sha256);
            writer.WriteString("path", c.Path);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.Flush();
        Console.Out.WriteLine();
    }

    internal static string Describe(ClipState state) => state switch
    {
        ClipState.Recording => "recording",
        ClipState.Complete => "complete",
        ClipState.Truncated => "truncated",
        _ => "deleted",
    };
}
