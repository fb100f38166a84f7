using HomeVault.Core.IO;

namespace HomeVault.Cli.Infrastructure;

/// <summary>
/// Writes an output file all-or-nothing: into an owner-only temporary file beside the target,
/// renamed into place only on success, so a failed command never leaves a partial or unauthenticated
/// result behind. "-" means standard output, and a character device or pipe (/dev/null, /dev/stdout)
/// is written to as it is, as stock age does: there is nothing there to replace or make durable.
/// </summary>
internal static class OutputFile
{
    public static void Write(string path, Action<Stream> write, bool overwrite = false)
    {
        if (path == "-")
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            stdout.Flush();
            return;
        }
        var full = Path.GetFullPath(path);
        if (FileKind.IsStreamDevice(full))
        {
            using var device = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(device);
            device.Flush();
            return;
        }
        if (!overwrite && File.Exists(full))
        {
            throw new UserError($"output {path} already exists; choose another -o or remove it first");
        }
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            throw new UserError($"output directory {dir} does not exist");
        }
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.partial-{Environment.ProcessId}");
        try
        {
            using (var stream = Durable.CreateForStreaming(temp))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
            Durable.SyncDirectory(dir);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
