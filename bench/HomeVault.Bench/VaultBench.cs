using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Core.Vault;

namespace HomeVault.Bench;

/// <summary>
/// `vault [--size-mib 512] [--cli PATH] [--dir DIR] [--rounds 3]`: the `homevault encrypt` and `homevault decrypt`
/// commands against the stock `age` CLI, each as a whole process (start-up included) on the same random file, writing
/// into the same directory, interleaved (the order alternates every round), best of the rounds. Reports wall MiB/s
/// and MiB per CPU-second (the child's user + system time) for each, and the ratio. The homevault CLI fsyncs its
/// output and the directory before it renames the file into place; age does neither, so a second table adds age
/// followed by `sync OUTPUT`. `--cli` names the homevault binary (default: published natively here, as the README
/// installs it). Also, in this process: the AEAD comparison that chose the payload cipher and scrypt's cost.
/// </summary>
public static class VaultBench
{
    public static int Run(string[] args)
    {
        var sizeMib = (int)BenchArgs.Num(args, "--size-mib", 512);
        var rounds = (int)BenchArgs.Num(args, "--rounds", 3);
        var parent = BenchArgs.Text(args, "--dir", Path.GetTempPath());
        var dir = Path.Combine(parent, "hv-vaultbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var cli = BenchArgs.Text(args, "--cli", "") is { Length: > 0 } given
                ? Path.GetFullPath(given)
                : NativeCli.Publish(NativeCli.RepoRoot(), dir);
            return RunIn(dir, cli, sizeMib, rounds);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, string cli, int sizeMib, int rounds)
    {
        string P(string n) => Path.Combine(dir, n);
        var bytes = (long)sizeMib * 1024 * 1024;
        var age = Tool.Run("age", "--version").Trim();
        Console.WriteLine($"vault bench: {sizeMib} MiB random file in {dir} ({new DriveInfo(dir).DriveFormat}), {rounds} rounds, {Environment.ProcessorCount} cores");
        Console.WriteLine($"homevault: {BenchStamp.Binary(cli)}; age {age} (Debian)");
        var plainHash = WriteRandom(P("plain"), bytes);

        using var id = X25519Identity.Generate();
        File.WriteAllText(P("key.txt"), IdentityFile.Format(id, DateTimeOffset.UtcNow));
        var recipient = id.Recipient.ToString();
        // Both decrypt the same file, written by the stock tool.
        Tool.Run("age", "-r", recipient, "-o", P("sealed.age"), P("plain"));

        var sides = new Dictionary<string, (string[] Encrypt, string[] Decrypt)>
        {
            ["homevault"] = ([cli, "encrypt", "-r", recipient, "-o", P("out.age"), P("plain")],
                             [cli, "decrypt", "-i", P("key.txt"), "-o", P("out.plain"), P("sealed.age")]),
            ["age"] = (["age", "-r", recipient, "-o", P("out.age"), P("plain")],
                       ["age", "-d", "-i", P("key.txt"), "-o", P("out.plain"), P("sealed.age")]),
        };
        var best = new Dictionary<(string Side, string Op), ProcessSample>();
        var loadBefore = BenchStamp.LoadAverage();
        for (var round = 0; round < rounds; round++)
        {
            string[] order = round % 2 == 0 ? ["homevault", "age", "age+sync"] : ["age+sync", "age", "homevault"];
            foreach (var op in new[] { "encrypt", "decrypt" })
            {
                foreach (var side in order)
                {
                    var output = P(op == "encrypt" ? "out.age" : "out.plain");
                    var command = side == "homevault" ? Pick(sides["homevault"], op) : Pick(sides["age"], op);
                    // age then `sync OUTPUT`: what age costs when its output is made as durable as HomeVault's.
                    string[][] commands = side == "age+sync" ? [command, ["sync", output]] : [command];
                    File.Delete(output);
                    var sample = ProcessSample.Measure(dir, commands);
                    Check(side, op, output, plainHash, P("key.txt"));
                    File.Delete(output);
                    best[(side, op)] = best.TryGetValue((side, op), out var b) ? ProcessSample.Best(b, sample) : sample;
                }
            }
        }
        // Each against the other's output: HomeVault's encrypt opened by age, age's (sealed.age) opened by HomeVault above.
        Tool.Run(cli, "encrypt", "-r", recipient, "-o", P("cross.age"), P("plain"));
        Tool.Run("age", "-d", "-i", P("key.txt"), "-o", P("cross.plain"), P("cross.age"));
        Verify("homevault encrypt → age -d", P("cross.plain"), plainHash);

        Console.WriteLine();
        BenchStamp.Print($"{BenchStamp.Binary(cli)} against age {age}, each a whole process", loadBefore);
        Console.WriteLine($"| {sizeMib} MiB, best of {rounds}, interleaved, same directory | homevault CLI (fsyncs) | age CLI (no fsync) | homevault / age |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (label, metric) in new (string, Func<ProcessSample, double>)[] { ("wall MiB/s", s => s.Wall), ("MiB per CPU-second", s => s.Cpu) })
        {
            foreach (var op in new[] { "encrypt", "decrypt" })
            {
                double hv = sizeMib / metric(best[("homevault", op)]), peer = sizeMib / metric(best[("age", op)]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {op}, {label} | {hv:F0} | {peer:F0} | {hv / peer:F2}x |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("The homevault CLI writes a temporary file, fsyncs it, renames it into place and fsyncs the directory; age writes and exits.");
        Console.WriteLine("With age made as durable (age, then `sync OUTPUT`; the kernel's writeback is not in any process's CPU time):");
        BenchStamp.Print($"{BenchStamp.Binary(cli)} against age {age} then sync, each a whole process", loadBefore);
        Console.WriteLine($"| {sizeMib} MiB, wall MiB/s, best of {rounds} | homevault CLI | age + sync | homevault / (age + sync) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var op in new[] { "encrypt", "decrypt" })
        {
            double hv = sizeMib / best[("homevault", op)].Wall, peer = sizeMib / best[("age+sync", op)].Wall;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {op} | {hv:F0} | {peer:F0} | {hv / peer:F2}x |"));
        }

        Console.WriteLine();
        BenchStamp.Print(BenchStamp.InProcess);
        AeadComparison();
        ScryptCost();
        return 0;
    }

    private static string[] Pick((string[] Encrypt, string[] Decrypt) side, string op) => op == "encrypt" ? side.Encrypt : side.Decrypt;

    private static void Check(string side, string op, string output, byte[] plainHash, string key)
    {
        if (op == "decrypt")
        {
            Verify($"{side} decrypt", output, plainHash);
            return;
        }
        var check = output + ".check";
        Tool.Run("age", "-d", "-i", key, "-o", check, output);
        Verify($"{side} encrypt → age -d", check, plainHash);
        File.Delete(check);
    }

    private static byte[] WriteRandom(string path, long bytes)
    {
        var block = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var f = File.Create(path);
        for (long done = 0; done < bytes; done += block.Length)
        {
            RandomNumberGenerator.Fill(block);
            var n = (int)Math.Min(block.Length, bytes - done);
            f.Write(block, 0, n);
            hash.AppendData(block, 0, n);
        }
        return hash.GetHashAndReset();
    }

    private static void Verify(string what, string path, byte[] expected)
    {
        using var f = File.OpenRead(path);
        if (!SHA256.HashData(f).AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException($"round trip {what} produced different plaintext");
        }
    }

    private static TimeSpan Best(Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            sw.Stop();
            if (sw.Elapsed < best)
            {
                best = sw.Elapsed;
            }
        }
        return best;
    }

    /// <summary>Our managed scrypt at age's default work factor (age itself needs a TTY for -p, so no peer run).</summary>
    private static void ScryptCost()
    {
        using var r = new ScryptRecipient("benchmark passphrase", workFactor: 18);
        var sw = Stopwatch.StartNew();
        Age.Encrypt(new MemoryStream([1]), Stream.Null, [r]);
        Console.WriteLine($"scrypt wrap at work factor 18 (N=2^18, 256 MiB): {sw.ElapsedMilliseconds} ms");
    }

    /// <summary>Seals 64 KiB chunks with both AEADs: the measurement behind Payload's choice of the BCL.</summary>
    private static void AeadComparison()
    {
        const int iterations = 4000;
        var key = RandomNumberGenerator.GetBytes(32);
        var plain = RandomNumberGenerator.GetBytes(64 * 1024);
        var cipher = new byte[plain.Length + 16];
        var nonce = new byte[12];

        using var bcl = new ChaCha20Poly1305(key);
        var bclTime = Best(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                bcl.Encrypt(nonce, plain, cipher.AsSpan(0, plain.Length), cipher.AsSpan(plain.Length));
            }
        });

        var alg = NSec.Cryptography.AeadAlgorithm.ChaCha20Poly1305;
        using var nsecKey = NSec.Cryptography.Key.Import(alg, key, NSec.Cryptography.KeyBlobFormat.RawSymmetricKey);
        var nsecTime = Best(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                alg.Encrypt(nsecKey, nonce, [], plain, cipher);
            }
        });
        var mb = iterations * 64.0 * 1024 / 1e6;
        Console.WriteLine($"AEAD, 64 KiB chunks: BCL (OpenSSL) {mb / bclTime.TotalSeconds:F0} MB/s, NSec (libsodium) {mb / nsecTime.TotalSeconds:F0} MB/s → payload uses {(bclTime <= nsecTime ? "BCL" : "NSec")}");
    }
}
