using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Replica;

namespace HomeVault.Bench;

/// <summary>
/// `replica [--minutes N] [--mbps M]`: one camera's N minutes (default 60) of M Mbit/s (default 4) as sealed one-minute
/// clips, replicated by HomeVault's ClipReplicator into one bucket, against `s3cmd put` of the same clip files into
/// another, on a RADOS Gateway this benchmark starts (scripts/s3/rgw-up.sh) and stops. Wall time of each, and the ratio.
/// </summary>
public static class ReplicaBench
{
    public static int Run(string[] args)
    {
        var minutes = (int)BenchArgs.Num(args, "--minutes", 60);
        var mbps = BenchArgs.Num(args, "--mbps", 4);
        var dir = Path.Combine(Path.GetTempPath(), "hv-replicabench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var rgw = Path.Combine(dir, "rgw");
        var scripts = Path.Combine(NativeCli.RepoRoot(), "scripts", "s3");
        try
        {
            var up = Tool.Run(Path.Combine(scripts, "rgw-up.sh"), rgw);
            var env = up.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal)).ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
            return RunIn(dir, minutes, mbps, env["S3_ENDPOINT"], env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"]);
        }
        finally
        {
            if (File.Exists(Path.Combine(rgw, "ceph.conf")))
            {
                Tool.Run(Path.Combine(scripts, "rgw-down.sh"), rgw);
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, int minutes, double mbps, string endpoint, string accessKey, string secretKey)
    {
        var data = new DataDirectory(Path.Combine(dir, "data"));
        var clipBytes = (int)(mbps * 1e6 / 8 * 60);
        ReleaseBench.SealFootage(data, "bench passphrase".ToCharArray(), RandomNumberGenerator.GetBytes(clipBytes), minutes);
        using var db = CatalogDatabase.Open(data.CatalogPath);
        var total = new ClipRepository(db).Query().Sum(c => c.CiphertextBytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica bench: {minutes} one-minute clips of {clipBytes / 1e6:0.0} MB ({total / 1e6:0} MB), gateway {endpoint}"));

        var credentials = Path.Combine(dir, "s3.credentials");
        File.WriteAllText(credentials, $"{accessKey}:{secretKey}\n");
        var options = new ReplicaOptions { Endpoint = endpoint, Bucket = "hv-bench", CredentialsFile = credentials };
        using var store = new ObjectStore(options, ReplicaCredentials.Load(credentials));
        store.CreateBucketAsync(objectLock: false, CancellationToken.None).GetAwaiter().GetResult();
        var replicator = new ClipReplicator(data, new ReplicaBacklog(db), ReplicaKeys.Load(db, ""), store, new Throttle(0, TimeProvider.System), null, TimeProvider.System);
        var ours = Stopwatch.StartNew();
        var sent = 0;
        while (replicator.ReplicateNextAsync(CancellationToken.None).GetAwaiter().GetResult() is not null)
        {
            sent++;
        }
        ours.Stop();

        var config = Path.Combine(dir, "s3cfg");
        var host = new Uri(endpoint).Authority;
        File.WriteAllText(config, $"[default]\naccess_key = {accessKey}\nsecret_key = {secretKey}\nhost_base = {host}\nhost_bucket = {host}\nuse_https = False\nsignature_v2 = False\n");
        Tool.Run("s3cmd", "-c", config, "mb", "s3://s3cmd-bench");
        var theirs = Stopwatch.StartNew();
        Tool.Run("s3cmd", "-c", config, "put", "--recursive", "--no-progress", data.ClipsDir + "/", "s3://s3cmd-bench/");
        theirs.Stop();

        BenchStamp.Print(BenchStamp.InProcess + " against s3cmd " + Tool.Run("s3cmd", "--version").Trim().Replace("s3cmd version ", "", StringComparison.Ordinal));
        Console.WriteLine();
        Console.WriteLine("| | clips | MB | wall s | MB/s |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| HomeVault ClipReplicator | {sent} | {total / 1e6:0} | {ours.Elapsed.TotalSeconds:0.0} | {total / 1e6 / ours.Elapsed.TotalSeconds:0.0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `s3cmd put --recursive` | {minutes} | {total / 1e6:0} | {theirs.Elapsed.TotalSeconds:0.0} | {total / 1e6 / theirs.Elapsed.TotalSeconds:0.0} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HomeVault's speed / s3cmd's: {theirs.Elapsed.TotalSeconds / ours.Elapsed.TotalSeconds:0.00}x"));
        return sent == minutes ? 0 : 1;
    }
}
