using System.Globalization;

namespace HomeVault.Bench;

/// <summary>
/// The line printed above every benchmark table: when it ran, which binary was measured (the native build the README
/// installs, a JIT build, or library code inside this JIT-compiled benchmark process) and how loaded the machine was,
/// so a figure copied into bench/README.md carries its conditions with it.
/// </summary>
internal static class BenchStamp
{
    /// <summary>For tables that time HomeVault's library code inside the benchmark process itself.</summary>
    public const string InProcess = "HomeVault library in the benchmark's own process (JIT)";

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>A `homevault` executable: native when no homevault.dll sits beside it (a JIT build's apphost needs one).</summary>
    public static string Binary(string path) =>
        File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "homevault.dll"))
            ? $"homevault JIT build ({path})"
            : $"homevault native AOT build ({path})";

    /// <summary>The stamp; <paramref name="loadAtStart"/> when the table covers a stretch of time (the current load ends it).</summary>
    public static void Print(string binary, string? loadAtStart = null) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"_{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; binary: {binary}; load average {(loadAtStart is null ? LoadAverage() : $"{loadAtStart} at the start, {LoadAverage()} at the end")}; {Environment.ProcessorCount} cores_"));
}
