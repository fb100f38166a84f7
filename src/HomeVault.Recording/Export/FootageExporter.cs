using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Export;

/// <summary>
/// Joins sealed clips into one MP4 for a time window without re-encoding: each clip is decrypted
/// into a named pipe in a private RAM-backed directory (plaintext never touches persistent storage),
/// trimmed to the window at keyframes (from the last one at or before its start), and ffmpeg's concat demuxer stream-copies
/// the pipes, in order, into the output. A truncated clip contributes its authenticated prefix.
/// </summary>
public static class FootageExporter
{
    /// <summary>Exports [from, to) of <paramref name="clips"/> (one camera, oldest first) to <paramref name="outputPath"/>.</summary>
    /// <returns>The clips that contributed footage.</returns>
    public static async Task<int> ExportAsync(string dataRoot, IReadOnlyList<Clip> clips, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<IIdentity> identities, string outputPath, bool stripAudio = false, string ffmpegPath = "ffmpeg", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0)
        {
            throw new ArgumentException("no clips to export", nameof(clips));
        }
        var work = CreatePrivateRamDirectory();
        try
        {
            var pipes = new List<string>();
            for (var i = 0; i < clips.Count; i++)
            {
                var fifo = Path.Combine(work, $"clip{i}.mp4");
                MakeFifo(fifo);
                pipes.Add(fifo);
            }
            // The pipes cannot be probed for their length, so concat would misplace each next clip on the
            // timeline: a first pass measures what each clip contributes and the list states it.
            var durations = clips.Select(c => FeedOne(Path.Combine(dataRoot, c.Path), c, null, from, to, identities, ct).Duration).ToList();
            var list = Path.Combine(work, "list.ffconcat");
            var entries = pipes.Select((p, i) => $"file '{p}'\nduration {durations[i].TotalSeconds.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture)}\n");
            await File.WriteAllTextAsync(list, "ffconcat version 1.0\n" + string.Concat(entries), ct).ConfigureAwait(false);

            List<string> args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-map", "0:v", "-map", "0:a?", "-c", "copy"];
            if (stripAudio)
            {
                args.Add("-an");
            }
            args.AddRange(["-movflags", "+faststart", "-f", "mp4", "-y", outputPath]);
            await using var ffmpeg = Start(ffmpegPath, args, ct);
            var progress = new FeedProgress();
            var writer = Task.Run(() => FeedAll(dataRoot, clips, pipes, from, to, identities, progress, ct), ct);
            var exited = ffmpeg.WaitForExitAsync(ct);
            if (await Task.WhenAny(writer, exited).ConfigureAwait(false) == writer && writer.IsFaulted)
            {
                // A clip could not be read: stop ffmpeg, which would otherwise wait on the next pipe forever.
                ffmpeg.Kill();
                await exited.ConfigureAwait(false);
                await writer.ConfigureAwait(false);
            }
            var exit = await exited.ConfigureAwait(false);
            ReleaseBlockedWriter(writer, pipes, progress);
            if (!exit.Success)
            {
                throw new ExportException($"ffmpeg failed to join the clips: {exit.Describe()}");
            }
            return await writer.ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Writes each clip's in-window fragments into its pipe, in order; returns how many contributed.</summary>
    private static int FeedAll(string dataRoot, IReadOnlyList<Clip> clips, List<string> pipes, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<IIdentity> identities, FeedProgress progress, CancellationToken ct)
    {
        var used = 0;
        for (var i = 0; i < clips.Count; i++)
        {
            progress.Current = i;
            // Opening a FIFO for writing waits until ffmpeg opens it for reading, which it does in list order.
            using var pipe = new FileStream(pipes[i], FileMode.Open, FileAccess.Write, FileShare.Read, 1 << 16);
            try
            {
                if (FeedOne(Path.Combine(dataRoot, clips[i].Path), clips[i], pipe, from, to, identities, ct).Wrote)
                {
                    used++;
                }
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                return used; // ffmpeg went away; its exit code tells why
            }
        }
        return used;
    }

    private sealed class FeedProgress
    {
        public volatile int Current;
    }

    /// <summary>
    /// If ffmpeg ended before reading every pipe, the writer may be blocked opening the next one (a
    /// FIFO open waits for a reader): open it for reading and close it, so the writer fails and ends.
    /// </summary>
    private static void ReleaseBlockedWriter(Task writer, List<string> pipes, FeedProgress progress)
    {
        for (var attempt = 0; attempt < 100 && !writer.Wait(TimeSpan.FromMilliseconds(50)); attempt++)
        {
            var index = progress.Current;
            var open = Task.Run(() => new FileStream(pipes[index], FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1).Dispose());
            open.Wait(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Decrypts one clip and writes its init segment and in-window fragments to <paramref name="pipe"/> (null: only measure).</summary>
    private static (bool Wrote, TimeSpan Duration) FeedOne(string path, Clip clip, Stream? pipe, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<IIdentity> identities, CancellationToken ct)
    {
        var duration = TimeSpan.Zero;
        using var file = File.OpenRead(path);
        using var plain = Age.DecryptingStream(file, identities);
        var reader = new Fmp4Reader(plain);
        var wrote = false;
        try
        {
            var init = reader.ReadInitSegmentAsync(ct).AsTask().GetAwaiter().GetResult()
                ?? throw new ExportException($"clip {clip.Path} has no init segment");
            pipe?.Write(init.Bytes.Span);
            // The clip's wall-clock start is its first fragment's time (tfdt may or may not start at zero).
            var window = new FragmentWindow(init, clip.Start);
            // Fragments before the window from its last keyframe on: the first one inside it may need them to decode.
            var lead = new List<(byte[] Bytes, TimeSpan Duration)>();
            while (reader.ReadFragmentAsync(ct).AsTask().GetAwaiter().GetResult() is { } fragment)
            {
                var (start, end) = window.Place(fragment);
                if (end <= from)
                {
                    if (fragment.StartsWithKeyframe)
                    {
                        lead.Clear();
                    }
                    lead.Add((fragment.Bytes.ToArray(), fragment.Duration));
                    continue;
                }
                if (start >= to)
                {
                    break;
                }
                if (!wrote && !fragment.StartsWithKeyframe)
                {
                    foreach (var (bytes, leadDuration) in lead)
                    {
                        pipe?.Write(bytes);
                        duration += leadDuration;
                    }
                }
                lead.Clear();
                pipe?.Write(fragment.Bytes.Span);
                duration += fragment.Duration;
                wrote = true;
            }
        }
        catch (AgeException ex) when (clip.State == ClipState.Truncated && ex.Kind is AgeErrorKind.Truncated or AgeErrorKind.PayloadCorrupt)
        {
            // A crash-truncated clip: everything authenticated before the cut has been used.
        }
        return (wrote, duration);
    }

    /// <summary>A new directory only this user can enter, on a RAM-backed file system (never persistent storage).</summary>
    internal static string CreatePrivateRamDirectory()
    {
        var baseDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } run && Directory.Exists(run) ? run
            : Directory.Exists("/dev/shm") ? "/dev/shm"
            : throw new ExportException("no RAM-backed directory (XDG_RUNTIME_DIR or /dev/shm) to stage decrypted footage in");
        var dir = Path.Combine(baseDir, "homevault-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Start("mkfifo", ["-m", "600", path], CancellationToken.None);
        var exit = mkfifo.WaitForExitAsync().GetAwaiter().GetResult();
        if (!exit.Success)
        {
            throw new ExportException($"mkfifo failed: {exit.Describe()}");
        }
    }

    /// <summary>Starts a tool; one the system cannot run (not installed, not executable) is the user's to fix.</summary>
    private static ChildProcess Start(string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        try
        {
            return ChildProcess.Start(program, arguments, ct: ct);
        }
        catch (ChildProcessException e)
        {
            throw new ExportException(e.Message, e);
        }
    }
}
