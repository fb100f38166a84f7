using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using HomeVault.Core;
using HomeVault.Core.Catalog;

namespace HomeVault.Bench;

/// <summary>
/// `replica [--minutes N] [--mbps M] [--rounds R] [--cli PATH]`: one camera's N minutes (default 60) of M Mbit/s
/// (default 4) as sealed one-minute clips, sent to a RADOS Gateway this benchmark starts (scripts/s3/rgw-up.sh) by the
/// native `homevault replica sync` process, against an `s3cmd put --recursive` process of the same clip files. The
/// two alternate, the order flipping every round, each into a fresh bucket (and, for HomeVault, with the catalog's
/// replica rows cleared, so every round sends everything); the bucket is purged after each run. Wall time and CPU
/// (getrusage of the waited-for process tree, <see cref="ProcessSample"/>), best of R (default 3), and the ratios.
/// The recorder's CPU with replication on against off is `recording --replica`.
/// </summary>
public static class ReplicaBench
{
    public static int Run(string[] args)
    {
        var minutes = (int)BenchArgs.Num(args, "--minutes", 60);
        var mbps = BenchArgs.Num(args, "--mbps", 4);
        var rounds = (int)BenchArgs.Num(args, "--rounds", 3);
        var cli = BenchArgs.Text(args, "--cli", "");
        var dir = Path.Combine(Path.GetTempPath(), "hv-replicabench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var hv = cli.Length > 0 ? Path.GetFullPath(cli) : NativeCli.Publish(NativeCli.RepoRoot(), dir);
            using var gateway = BenchGateway.Start(Path.Combine(dir, "rgw"));
            return RunIn(dir, hv, gateway, minutes, mbps, rounds);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, string hv, BenchGateway gateway, int minutes, double mbps, int rounds)
    {
        var data = new DataDirectory(Path.Combine(dir, "data"));
        var clipBytes = (int)(mbps * 1e6 / 8 * 60);
        ReleaseBench.SealFootage(data, "bench passphrase".ToCharArray(), RandomNumberGenerator.GetBytes(clipBytes), minutes);
        long total;
        using (var db = CatalogDatabase.Open(data.CatalogPath))
        {
            total = new ClipRepository(db).Query().Sum(c => c.CiphertextBytes);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica bench: {minutes} one-minute clips of {clipBytes / 1e6:0.0} MB ({total / 1e6:0} MB), gateway {gateway.Endpoint}"));
        var loadAtStart = BenchStamp.LoadAverage();
        ProcessSample? ours = null, theirs = null;
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var homevault in round % 2 == 1 ? [true, false] : (bool[])[false, true])
            {
                var bucket = $"{(homevault ? "hv" : "s3cmd")}-{round}";
                gateway.CreateBucket(bucket);
                var sample = homevault ? Sync(dir, hv, data, gateway, bucket) : ProcessSample.Measure(dir,
                    ["s3cmd", "-c", gateway.S3cmdConfig, "put", "--recursive", "--no-progress", data.ClipsDir + "/", $"s3://{bucket}/"]);
                var sent = gateway.Count(bucket);
                gateway.Purge(bucket);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: {(homevault ? "homevault replica sync" : "s3cmd put --recursive"),-22} {sample.Wall,6:0.0} s wall, {sample.Cpu,6:0.0} s CPU, {sent} objects; load {BenchStamp.LoadAverage()}"));
                if (sent != minutes)
                {
                    throw new InvalidOperationException($"bucket {bucket} holds {sent} objects, expected {minutes}");
                }
                if (homevault)
                {
                    ours = ours is null ? sample : ProcessSample.Best(ours, sample);
                }
                else
                {
                    theirs = theirs is null ? sample : ProcessSample.Best(theirs, sample);
                }
            }
        }

        Console.WriteLine();
        BenchStamp.Print(BenchStamp.Binary(hv) + " against s3cmd " + Tool.Run("s3cmd", "--version").Trim().Replace("s3cmd version ", "", StringComparison.Ordinal), loadAtStart);
        Console.WriteLine();
        Console.WriteLine($"| process, best of {rounds} | clips | MB | wall s | MB/s | CPU s | MB per CPU s |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Row("`homevault replica sync`", ours!);
        Row("`s3cmd put --recursive`", theirs!);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"homevault replica sync / s3cmd: speed {theirs!.Wall / ours!.Wall:0.00}x (target: at least 1x), CPU {ours.Cpu / theirs.Cpu:0.00}x"));
        return 0;

        void Row(string name, ProcessSample s) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {minutes} | {total / 1e6:0} | {s.Wall:0.0} | {total / 1e6 / s.Wall:0.0} | {s.Cpu:0.0} | {total / 1e6 / s.Cpu:0.0} |"));
    }

    /// <summary>`homevault replica sync` of everything into <paramref name="bucket"/>: the catalog's replica rows are cleared first (not timed).</summary>
    private static ProcessSample Sync(string dir, string hv, DataDirectory data, BenchGateway gateway, string bucket)
    {
        using (var db = CatalogDatabase.Open(data.CatalogPath))
        using (var clear = db.CreateCommand())
        {
            clear.CommandText = "DELETE FROM replica_clips";
            clear.ExecuteNonQuery();
        }
        var config = Path.Combine(dir, "homevault.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["HomeVault"] = new Dictionary<string, object> { ["DataDirectory"] = data.Root, ["Replica"] = gateway.ReplicaSection(bucket) },
        }));
        return ProcessSample.Measure(dir, [hv, "replica", "sync", "--config", config]);
    }
}
