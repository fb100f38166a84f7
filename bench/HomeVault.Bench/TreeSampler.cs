using System.Globalization;

namespace HomeVault.Bench;

/// <summary>Samples the process trees under some roots every 0.5 s, keeping the last CPU value and the VmHWM of each process.</summary>
internal sealed class TreeSampler
{
    private readonly HashSet<int> _roots = [];
    private readonly Dictionary<(int Pid, long Start), (string Comm, long Ticks, long HwmKb)> _seen = [];
    private volatile bool _stop;
    private Thread? _thread;

    public int? ServicePid { get; private set; }

    public void AddRoot(int pid) => _roots.Add(pid);

    public void Start()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(500);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
    }

    private void Sample()
    {
        var all = new Dictionary<int, (int Ppid, long Ticks, string Comm, long StartTime)>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ProcStat.Read(pid) is { } st)
            {
                all[pid] = st;
            }
        }
        var tree = new HashSet<int>(_roots.Where(all.ContainsKey));
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, st) in all)
            {
                if (!tree.Contains(pid) && tree.Contains(st.Ppid))
                {
                    tree.Add(pid);
                    grew = true;
                }
            }
        }
        lock (_seen)
        {
            foreach (var pid in tree)
            {
                var st = all[pid];
                var key = (pid, st.StartTime);
                var hwm = ProcStat.StatusKb(pid, "VmHWM:") ?? 0;
                var old = _seen.GetValueOrDefault(key);
                _seen[key] = (st.Comm, st.Ticks, Math.Max(hwm, old.HwmKb));
                if (st.Comm == NativeCli.Comm)
                {
                    ServicePid = pid;
                }
            }
        }
    }

    public double TotalCpuSeconds()
    {
        lock (_seen)
        {
            return _seen.Values.Sum(v => v.Ticks) / ProcStat.Hz;
        }
    }

    /// <summary>Samples now and returns the tree's CPU so far and the service process's share of it (live processes are exact).</summary>
    public (double Tree, double Service) Snapshot()
    {
        Sample();
        return (TotalCpuSeconds(), CpuSecondsOf(NativeCli.Comm));
    }

    /// <summary>Start and end of the steady-state window of a run of <paramref name="seconds"/>: after 30 s of start-up, before the last 5 s.</summary>
    public static (double From, double To)? SteadyWindow(int seconds) => seconds >= 60 ? (30, seconds - 5) : null;

    public double CpuSecondsOf(string comm)
    {
        lock (_seen)
        {
            return _seen.Values.Where(v => v.Comm == comm).Sum(v => v.Ticks) / ProcStat.Hz;
        }
    }

    public long MaxHwmOf(string comm) => HwmsOf(comm).DefaultIfEmpty().Max();

    public List<long> HwmsOf(string comm)
    {
        lock (_seen)
        {
            return _seen.Values.Where(v => v.Comm == comm).Select(v => v.HwmKb).ToList();
        }
    }
}
