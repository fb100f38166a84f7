using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// The ingest's long-running ffmpeg on the <see cref="ChildProcess"/> runner: stdin held for <c>q</c>, stdout read
/// by the recorder, stderr kept as a bounded, scrubbed tail.
/// <para>
/// stdout is a 1 MiB pipe (the kernel's default is 64 KiB), so ffmpeg hands over a whole fragment
/// (about 1 MB for 2 s at 4 Mbit/s) without blocking and the reader takes it in a few reads.
/// Its reads are plain blocking read(2): the recorder reads each camera on a thread of its own, which wakes once
/// per read, where .NET's async pipe reads wake an epoll thread and then a pool thread for every read (measured on
/// the recording bench; see the README).
/// </para>
/// </summary>
public static class FfmpegProcess
{
    /// <summary>What the stdout pipe is asked to hold; a refusal (a lowered pipe-max-size) leaves it at the default.</summary>
    public const int StdoutPipeBytes = 1 << 20;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/> as argv (no shell, no quoting).</summary>
    /// <param name="onStderrLine">Called with each scrubbed stderr line from the drain thread.</param>
    public static ChildProcess Start(string executable, IEnumerable<string> arguments, SecretScrubber scrubber,
        int stderrLines = 50, Action<string>? onStderrLine = null) =>
        ChildProcess.Start(executable, arguments, new ChildOptions
        {
            Input = ChildInput.QuitKey,
            Output = true,
            OutputPipeBytes = StdoutPipeBytes,
            OutputReadsBlock = true,
            StderrLines = stderrLines,
            Scrubber = scrubber,
            OnStderrLine = onStderrLine,
        });
}
