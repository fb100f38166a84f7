using System.Globalization;

namespace HomeVault.Bench;

/// <summary>/proc readers.</summary>
internal static class ProcStat
{
    public const double Hz = 100; // USER_HZ (getconf CLK_TCK) on Linux

    /// <summary>(ppid, utime+stime ticks, comm, starttime) or null if the process is gone.</summary>
    public static (int Ppid, long Ticks, string Comm, long StartTime)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        var comm = text[(open + 1)..close];
        var f = text[(close + 2)..].Split(' ');
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return ((int)L(1), L(11) + L(12), comm, L(19));
    }

    public static long CpuTicks(int pid) => Read(pid)?.Ticks ?? 0;

    public static long? StatusKb(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
