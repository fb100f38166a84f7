namespace HomeVault.Recording.Processes;

/// <summary>
/// How a child ended, as one readable cause. .NET reports a death by signal N as exit code 128 + N, as a shell
/// does; <see cref="Killed"/> says whether HomeVault sent the kill (a stop past its grace, a cancellation).
/// </summary>
/// <param name="Program">The executable's file name, for messages.</param>
/// <param name="StderrLine">The most telling of the last stderr lines (<see cref="StderrRing.MostTelling"/>), scrubbed.</param>
public sealed record ChildExit(string Program, int Code, bool Killed, string? StderrLine)
{
    public bool Success => Code == 0;

    /// <summary>The signal that ended the child, when it was one.</summary>
    public int? Signal => Code is > 128 and <= 128 + 64 ? Code - 128 : null;

    /// <summary>"exit 1: LINE", "killed by SIGSEGV: LINE", "killed by HomeVault (SIGKILL)"; "(no output)" when stderr was silent.</summary>
    public string Describe()
    {
        var how = Signal is { } s
            ? Killed ? $"killed by HomeVault ({SignalName(s)})" : $"killed by {SignalName(s)}"
            : $"exit {Code}";
        return $"{how}: {StderrLine ?? "(no output)"}";
    }

    public override string ToString() => $"{Program}: {Describe()}";

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
