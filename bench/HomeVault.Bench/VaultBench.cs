using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Core.Vault;

namespace HomeVault.Bench;

/// <summary>
/// `vault [--size-mib N]`: HomeVault's age encrypt/decrypt against the stock `age` CLI on the same
/// random file (best of 3, files on the same disk), outputs verified, plus the 64 KiB-chunk AEAD
/// comparison (BCL/OpenSSL vs NSec/libsodium) that picked the payload cipher.
/// </summary>
public static class VaultBench
{
    public static int Run(string[] args)
    {
        var sizeMib = 512;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--size-mib" && i + 1 < args.Length)
            {
                sizeMib = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }
        var dir = Path.Combine(Path.GetTempPath(), "hv-vaultbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            return RunIn(dir, sizeMib);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, int sizeMib)
    {
        string P(string n) => Path.Combine(dir, n);
        var bytes = (long)sizeMib * 1024 * 1024;
        Console.WriteLine($"vault bench: {sizeMib} MiB random file in {dir}, best of 3, {Environment.ProcessorCount} cores");
        var plainHash = WriteRandom(P("plain"), bytes);

        AeadComparison();
        ScryptCost();

        using var id = X25519Identity.Generate();
        File.WriteAllText(P("key.txt"), IdentityFile.Format(id, DateTimeOffset.UtcNow));
        var recipient = id.Recipient.ToString();

        var hvEnc = Best(() =>
        {
            using var input = File.OpenRead(P("plain"));
            using var output = File.Create(P("hv.age"));
            Age.Encrypt(input, output, [id.Recipient]);
        });
        var hvDec = Best(() =>
        {
            using var input = File.OpenRead(P("hv.age"));
            using var output = File.Create(P("hv.out"));
            Age.Decrypt(input, output, [id]);
        });
        var ageEnc = Best(() => Tool.Run("age", "-r", recipient, "-o", P("age.age"), P("plain")));
        var ageDec = Best(() => Tool.Run("age", "-d", "-i", P("key.txt"), "-o", P("age.out"), P("age.age")));

        // Round trips, including across implementations.
        Verify("HomeVault → HomeVault", P("hv.out"), plainHash);
        Verify("age → age", P("age.out"), plainHash);
        Tool.Run("age", "-d", "-i", P("key.txt"), "-o", P("cross1.out"), P("hv.age"));
        Verify("HomeVault → age -d", P("cross1.out"), plainHash);
        using (var input = File.OpenRead(P("age.age")))
        using (var output = File.Create(P("cross2.out")))
        {
            Age.Decrypt(input, output, [id]);
        }
        Verify("age -r → HomeVault", P("cross2.out"), plainHash);

        double Mbs(TimeSpan t) => bytes / 1e6 / t.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine("| direction | HomeVault MB/s | age 1.1.1 MB/s | HomeVault/age |");
        Console.WriteLine("|-----------|---------------:|---------------:|--------------:|");
        Console.WriteLine($"| encrypt   | {Mbs(hvEnc),14:F0} | {Mbs(ageEnc),14:F0} | {ageEnc / hvEnc,13:F2} |");
        Console.WriteLine($"| decrypt   | {Mbs(hvDec),14:F0} | {Mbs(ageDec),14:F0} | {ageDec / hvDec,13:F2} |");
        return 0;
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
        var ok = SHA256.HashData(f).AsSpan().SequenceEqual(expected);
        Console.WriteLine($"round trip {what}: {(ok ? "OK" : "MISMATCH")}");
        if (!ok)
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
