using System.Diagnostics;

namespace HomeVault.Bench;

/// <summary>Every process the bench starts, so each can be killed (with its tree) on any way out.</summary>
internal static class BenchChildren
{
    private static readonly List<Process> Live = [];
    private static readonly List<IDisposable> Owned = [];

    public static void Add(Process p)
    {
        lock (Live)
        {
            Live.Add(p);
        }
    }

    /// <summary>A launcher that kills its own tree on dispose (camsim).</summary>
    public static void Add(IDisposable owner)
    {
        lock (Live)
        {
            Owned.Add(owner);
        }
    }

    public static void KillAll()
    {
        lock (Live)
        {
            foreach (var p in Live)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.Kill(entireProcessTree: true);
                        p.WaitForExit(5000);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
            Live.Clear();
            foreach (var o in Owned)
            {
                o.Dispose();
            }
            Owned.Clear();
        }
    }
}
