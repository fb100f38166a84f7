using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;

namespace HomeVault.Bench;

/// <summary>
/// `audit [--entries N] [--batch B]`: appends N clip.sealed events to a fresh catalog file, then
/// times a full verification and single inclusion/consistency proofs. Under load the service
/// groups the events that arrive within one commit into a single transaction (AppendBatch), so
/// appends are measured in transactions of B events (default 1000) on the catalog's real
/// settings (WAL, synchronous=FULL). Unbatched appends (one fsync'd transaction each) are timed
/// too, for honesty. No peer implementation ships in Debian, so figures are absolute, against targets.
/// </summary>
public static class AuditBench
{
    public static int Run(string[] args)
    {
        var entries = Option(args, "--entries", 1_000_000);
        var batch = Option(args, "--batch", 1000);
        var dir = Path.Combine(Path.GetTempPath(), $"hv-auditbench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            return RunIn(dir, entries, batch);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, int entries, int batch)
    {
        using var connection = CatalogDatabase.Open(Path.Combine(dir, "catalog.db"), create: true);
        using var key = NoteSigner.Generate("homevault.local/bench");
        var log = new AuditLog(connection, key, "homevault.local/bench");
        var sha = Convert.ToHexStringLower(SHA256.HashData("bench"u8));

        Console.WriteLine($"audit bench: {entries:N0} clip.sealed entries, transactions of {batch} (WAL, synchronous=FULL), {Environment.ProcessorCount} cores");
        var clock = Stopwatch.StartNew();
        var pending = new List<AuditEvent>(batch);
        for (var i = 0; i < entries; i++)
        {
            pending.Add(AuditEvent.ClipSealed("recorder", $"camera-{i % 8}", i * 60_000L, (i + 1) * 60_000L, sha, $"clips/camera-{i % 8}/{i:D9}.age"));
            if (pending.Count == batch || i == entries - 1)
            {
                log.AppendBatch(pending);
                pending.Clear();
            }
            if ((i + 1) % 100_000 == 0)
            {
                log.CheckpointIfDue(); // as the service's timer would
            }
        }
        var appendSeconds = clock.Elapsed.TotalSeconds;
        var appendsPerSecond = entries / appendSeconds;

        const int single = 500;
        clock.Restart();
        for (var i = 0; i < single; i++)
        {
            log.Append(new AuditEvent("bench", AuditActions.ConfigChanged, "single"));
        }
        var singlePerSecond = single / clock.Elapsed.TotalSeconds;

        var checkpoint = log.Checkpoint();
        var size = checkpoint.Size;

        clock.Restart();
        var report = log.Verify();
        var verifySeconds = clock.Elapsed.TotalSeconds;
        if (!report.Ok)
        {
            Console.Error.WriteLine("verification failed: " + report);
            return 1;
        }

        var random = new Random(42);
        var root = checkpoint.Checkpoint.RootHash.ToArray();
        var inclusion = Median(1001, () =>
        {
            var index = random.NextInt64(size);
            return () => log.InclusionProof(index, size);
        });
        var incIndex = random.NextInt64(size);
        if (!MerkleProofs.VerifyInclusion(incIndex, size, log.GetEntry(incIndex).LeafHash.Span, log.InclusionProof(incIndex, size), root))
        {
            Console.Error.WriteLine("inclusion proof did not verify");
            return 1;
        }
        var tlogProof = Median(1001, () =>
        {
            var index = random.NextInt64(size);
            return () => log.Prove(index).ToText();
        });
        var consistency = Median(1001, () =>
        {
            var old = 1 + random.NextInt64(size - 1);
            return () => log.ConsistencyProof(old, size);
        });
        var oldSize = 1 + random.NextInt64(size - 1);
        if (!MerkleProofs.VerifyConsistency(oldSize, size, log.ConsistencyProof(oldSize, size), log.RootAt(oldSize), root))
        {
            Console.Error.WriteLine("consistency proof did not verify");
            return 1;
        }

        var dbBytes = new FileInfo(Path.Combine(dir, "catalog.db")).Length;
        Console.WriteLine();
        BenchStamp.Print(BenchStamp.InProcess);
        Console.WriteLine("| measure                                   | result            | target      | ok  |");
        Console.WriteLine("|-------------------------------------------|-------------------|-------------|-----|");
        Row($"append, batched ({batch}/transaction)", $"{appendsPerSecond:N0} /s", ">= 20,000/s", appendsPerSecond >= 20_000);
        Row("append, one transaction each (fsync)", $"{singlePerSecond:N0} /s", "-", null);
        Row($"full verification of {report.Counts.Entries:N0} entries", $"{verifySeconds:N2} s", "< 10 s", verifySeconds < 10);
        Row("inclusion proof (median of 1001)", $"{inclusion:N3} ms", "< 1 ms", inclusion < 1);
        Row("tlog-proof text incl. checkpoint (median)", $"{tlogProof:N3} ms", "< 1 ms", tlogProof < 1);
        Row("consistency proof (median of 1001)", $"{consistency:N3} ms", "< 1 ms", consistency < 1);
        Console.WriteLine();
        Console.WriteLine($"catalog file {dbBytes / 1048576.0:N1} MiB for {size:N0} entries, {report.Counts.Nodes:N0} subtree rows, {report.Counts.Checkpoints} checkpoints; appends took {appendSeconds:N1} s");
        return 0;
    }

    private static void Row(string name, string value, string target, bool? ok) =>
        Console.WriteLine($"| {name,-41} | {value,17} | {target,-11} | {(ok is null ? "" : ok.Value ? "yes" : "NO"),-3} |");

    // Median wall time in milliseconds of `runs` calls, each built fresh (so inputs vary) and timed alone.
    private static double Median(int runs, Func<Func<object>> make)
    {
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var call = make();
            var start = Stopwatch.GetTimestamp();
            GC.KeepAlive(call());
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
