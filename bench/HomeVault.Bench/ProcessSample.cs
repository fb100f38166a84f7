using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HomeVault.Bench;

/// <summary>
/// Wall seconds and CPU seconds (user + system of every child the benchmark waited for, by getrusage, which counts a
/// child's own waited-for children too: a shell pipeline's processes are all in it) of commands run one after another.
/// </summary>
internal sealed record ProcessSample(double Wall, double Cpu)
{
    public static ProcessSample Best(ProcessSample a, ProcessSample b) => new(Math.Min(a.Wall, b.Wall), Math.Min(a.Cpu, b.Cpu));

    /// <summary>Runs <paramref name="commands"/> in order after `sync -f DIR`, so nothing of an earlier run is left to write back.</summary>
    public static ProcessSample Measure(string dir, params string[][] commands)
    {
        Tool.Run("sync", "-f", dir);
        var cpuBefore = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        foreach (var c in commands)
        {
            Tool.Run(c[0], c[1..]);
        }
        var wall = clock.Elapsed.TotalSeconds;
        return new ProcessSample(wall, ChildrenCpuSeconds() - cpuBefore);
    }

    private const int RusageChildren = -1;

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, [Out] long[] usage);

    /// <summary>User + system CPU of every child this process has waited for (struct rusage: two timevals first).</summary>
    private static double ChildrenCpuSeconds()
    {
        var usage = new long[18];
        if (getrusage(RusageChildren, usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }
}
