using HomeVault.Recording.Simulation;

namespace HomeVault.Bench;

/// <summary>
/// `recording --replica`: the recorder's CPU with replication on against off. Two `homevault serve` start at the same
/// moment on the same N cameras (camsim gives each client its own playback), each into its own data directory; one
/// has a `Replica` section pointed at a RADOS Gateway this benchmark starts, the other none. Each side's CPU is its own
/// process tree's, over the same minutes (the runner of `--together`), so the ratio holds whatever else loads the machine.
/// </summary>
public static partial class RecordingBench
{
    private static int CompareReplica(string work, string hv, CamsimProcess camsim, int n, int seconds)
    {
        using var gateway = BenchGateway.Start(Path.Combine(work, "rgw"));
        gateway.CreateBucket("recorder");
        var urls = Urls(camsim, n);
        var loadAtStart = LoadAverage();
        Console.WriteLine();
        Console.WriteLine($"two homevault serve together: {n} cameras each, {seconds} s, one replicating to {gateway.Endpoint}, load {loadAtStart}");
        Task<RunResult>? replicating = null;
        var off = RunHomeVault(Path.Combine(work, "off"), hv, urls, seconds, camsim, rssEvery: null,
            atStart: () => replicating = Task.Run(() => RunHomeVault(Path.Combine(work, "on"), hv, urls, seconds, camsim, rssEvery: null, replica: gateway.ReplicaSection("recorder"))));
        var on = replicating!.GetAwaiter().GetResult();
        var inBucket = gateway.Count("recorder");

        Console.WriteLine();
        BenchStamp.Print(BenchStamp.Binary(hv), loadAtStart);
        Console.WriteLine($"| side ({n} cameras, {seconds} s, together) | CPU s | CPU % of 1 core | steady CPU s ({off.SteadyFrom:F0}-{off.SteadyTo:F0} s) | service process s | peak RSS | clips sealed |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("replication off", off);
        Row("replication on", on);
        Console.WriteLine();
        Console.WriteLine($"replication on / off: CPU {on.CpuSeconds / off.CpuSeconds:F3}x over the whole runs, {on.SteadyCpuSeconds / off.SteadyCpuSeconds:F3}x in the steady window (target: at most 1.05x)");
        Console.WriteLine($"the bucket holds {inBucket} objects of the {on.Clips} clips the replicating side sealed (a clip goes once sealed, {ClipSeconds} s clips; those sealed at the stop stay queued); its status/replica.json at the end: {on.ReplicaStatus}");
        Console.WriteLine($"media recorded per camera (min / max): off {off.MediaMin:F1} / {off.MediaMax:F1} s, on {on.MediaMin:F1} / {on.MediaMax:F1} s; camsim used {on.CamsimCpuSeconds:F1} s");
        return 0;

        static void Row(string name, RunResult r) =>
            Console.WriteLine($"| {name} | {r.CpuSeconds:F1} | {r.CpuPercent:F1}% | {r.SteadyCpuSeconds:F1} | {r.ServiceCpuSeconds:F1} | {Mb(r.ServiceHwmKb)} | {r.Clips} |");
    }
}
