using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Recording.Processes;

/// <summary>What a child's stdin is. It is never the service's or the terminal's own.</summary>
public enum ChildInput
{
    /// <summary>Closed at start: the child reads end-of-file.</summary>
    None,

    /// <summary>A pipe the caller writes data into (<see cref="ChildProcess.StandardInput"/>) and closes.</summary>
    Pipe,

    /// <summary>Held open for ffmpeg's <c>q</c>, which a graceful stop writes.</summary>
    QuitKey,
}

/// <summary>How <see cref="ChildProcess.Start"/> wires a child.</summary>
public sealed record ChildOptions
{
    public ChildInput Input { get; init; }

    /// <summary>Whether the caller reads stdout (<see cref="ChildProcess.StandardOutput"/>); otherwise it is drained and dropped.</summary>
    public bool Output { get; init; }

    /// <summary>The stdout pipe's buffer to ask the kernel for; 0 keeps its default (64 KiB). Best effort.</summary>
    public int OutputPipeBytes { get; init; }

    /// <summary>
    /// Whether stdout's async reads are plain blocking reads on the caller's thread (<see cref="BlockingReadStream"/>):
    /// for a reader with a thread of its own, which then wakes once per read instead of an epoll and a pool thread.
    /// </summary>
    public bool OutputReadsBlock { get; init; }

    /// <summary>How many of the last stderr lines are kept (<see cref="ChildProcess.Stderr"/>).</summary>
    public int StderrLines { get; init; } = 20;

    /// <summary>Masks credentials in every stderr line before it is kept or passed on.</summary>
    public SecretScrubber Scrubber { get; init; } = SecretScrubber.None;

    /// <summary>Called with each scrubbed stderr line, from the thread that drains stderr.</summary>
    public Action<string>? OnStderrLine { get; init; }

    /// <summary>Variables added to the child's environment (a way to hand over a secret that argv would show).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
