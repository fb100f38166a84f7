using System.Diagnostics;

namespace HomeVault.Bench;

/// <summary>Runs a command the benchmarks need (the homevault CLI, wrk, the publish script) to completion.</summary>
internal static class Tool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; returns its stdout, or throws with its stderr on a non-zero exit.</summary>
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args.Take(3))} failed ({p.ExitCode}): {stderr.Result.Trim()} {stdout.Trim()}".TrimEnd());
    }
}
