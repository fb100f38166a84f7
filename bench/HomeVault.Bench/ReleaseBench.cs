using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Disclosure;
using HomeVault.Core.Json;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Keys;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using HomeVault.Recording.ReleasedClips;

namespace HomeVault.Bench;

/// <summary>
/// `release [--minutes N] [--mbps M]`: one camera's N minutes (default 60) of M Mbit/s (default 4) H.264 as sealed
/// one-minute clips (one pre-encoded clip sealed N times through the real ClipStore), released by the owner's
/// approval (decrypt, re-encrypt to the requester, hash, sign, audit proof, .tar) against, in the same run and over
/// the same clips, `age -d -i OWNER | age -r RECIPIENT` per clip.
/// </summary>
public static class ReleaseBench
{
    public static int Run(string[] args)
    {
        var minutes = 60;
        var mbps = 4;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--minutes")
            {
                minutes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--mbps")
            {
                mbps = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }
        var dir = Path.Combine(Path.GetTempPath(), "hv-releasebench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            return RunIn(dir, minutes, mbps);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, int minutes, int mbps)
    {
        var clipFile = Path.Combine(dir, "clip.mp4");
        var encode = Stopwatch.StartNew();
        Tool.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=15", "-t", "60", "-c:v", "libx264", "-preset", "ultrafast",
            "-b:v", $"{mbps}M", "-minrate", $"{mbps}M", "-maxrate", $"{mbps}M", "-bufsize", $"{2 * mbps}M", "-g", "30",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", clipFile);
        var clip = File.ReadAllBytes(clipFile);
        File.Delete(clipFile);
        Console.WriteLine($"release bench: {minutes} one-minute clips of {clip.Length / 1e6:0.0} MB ({clip.Length * 8 / 60e6:0.00} Mbit/s, encoded in {encode.Elapsed.TotalSeconds:0.0} s), {Environment.ProcessorCount} cores, {dir}");

        var data = new DataDirectory(Path.Combine(dir, "data"));
        var passphrase = "bench passphrase".ToCharArray();
        var t0 = SealFootage(data, passphrase, clip, minutes);
        using var db = CatalogDatabase.Open(data.CatalogPath);
        var sealedBytes = new ClipRepository(db).Query("front").Sum(c => c.CiphertextBytes);
        Console.WriteLine($"sealed {sealedBytes / 1e9:0.00} GB");

        using var recipient = X25519Identity.Generate();
        var id = Submit(db, recipient.Recipient.ToString(), t0, t0.AddMinutes(minutes));

        // The peer: the owner's identity as a plain key file (the fairest case for age), each clip piped through two age processes.
        var ownerKey = Path.Combine(dir, "owner.key");
        using (var owner = new OwnerKeyStore(data).UnlockIdentity("bench", passphrase))
        {
            File.WriteAllText(ownerKey, IdentityFile.Format(owner, DateTimeOffset.UtcNow));
        }
        var clips = new ClipRepository(db).Query("front");
        // Interleaved, best of 3 each: the machine is shared, so alternating keeps both sides under the same load.
        TimeSpan peer = TimeSpan.MaxValue, path = TimeSpan.MaxValue;
        using (var owner = new OwnerKeyStore(data).UnlockIdentity("bench", passphrase))
        {
            var releaser = new ClipReleaser([owner], recipient.Recipient, "ffmpeg");
            for (var round = 0; round < 3; round++)
            {
                var peerOut = Path.Combine(dir, "peer");
                Directory.CreateDirectory(peerOut);
                var sw = Stopwatch.StartNew();
                foreach (var c in clips)
                {
                    Tool.Run("/bin/sh", "-c", $"age -d -i '{ownerKey}' '{Path.Combine(data.Root, c.Path)}' | age -r {recipient.Recipient} -o '{Path.Combine(peerOut, Path.GetFileName(c.Path))}'");
                }
                peer = Min(peer, sw.Elapsed);
                Directory.Delete(peerOut, recursive: true);

                // HomeVault's data path, as the release builder runs it: two clips at a time, each decrypted,
                // re-encrypted to the recipient, plaintext and ciphertext hashed, fsynced.
                var hvOut = Path.Combine(dir, "hv");
                Directory.CreateDirectory(hvOut);
                sw.Restart();
                Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                    c => releaser.Release(Path.Combine(data.Root, c.Path), c, t0, t0.AddMinutes(minutes), false, hvOut, CancellationToken.None));
                path = Min(path, sw.Elapsed);
                Directory.Delete(hvOut, recursive: true);
            }
        }

        var bytes = Encoding.UTF8.GetBytes(passphrase);
        ReleaseInfo release;
        var hv = Stopwatch.StartNew();
        using (var disclosure = new DisclosureService(data, db, media: new ReleaseMedia()))
        {
            release = disclosure.Approve(new ApproveCommand(id, "bench", null, null, null, false, null, null), bytes, CancellationToken.None).Release!;
        }
        hv.Stop();
        Array.Clear(bytes);

        var ownerPub = MinisignPublicKey.Parse(File.ReadAllText(data.OwnerMinisignPublicKeyPath("bench")));
        var check = ReleaseVerifier.Verify(release.Directory, [ownerPub]);
        if (!check.Ok || release.Clips != minutes)
        {
            Console.Error.WriteLine($"release did not verify: {check.Problem}");
            return 1;
        }
        // Two passphrase unlocks (scrypt, work factor 18) are part of every approval; the age peer uses a plain key file.
        var unlock = Stopwatch.StartNew();
        new OwnerKeyStore(data).UnlockIdentity("bench", passphrase).Dispose();
        unlock.Stop();
        Console.WriteLine();
        string Row(string what, TimeSpan t) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {t.TotalSeconds:0.00} | {sealedBytes / 1e6 / t.TotalSeconds:0} | {t / peer:0.00}x |");
        BenchStamp.Print(BenchStamp.InProcess + " against age processes");
        Console.WriteLine($"| {minutes} min, one camera, {sealedBytes / 1e9:0.00} GB sealed | seconds | MB/s | / age |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("age -d \\| age -r, per clip (best of 3)", peer));
        Console.WriteLine(Row("HomeVault: decrypt, re-encrypt, hash both, fsync (best of 3)", path));
        Console.WriteLine(Row("HomeVault: the whole approval (2 passphrase unlocks, the above, manifest, signatures, audit proof, .tar; once)", hv.Elapsed));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(of HomeVault's time, one scrypt unlock takes {unlock.Elapsed.TotalSeconds:0.00} s and an approval does two)"));
        Array.Clear(passphrase);
        return 0;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// A new data directory (owner "bench" with <paramref name="passphrase"/>) holding camera "front"'s
    /// <paramref name="minutes"/> one-minute clips of <paramref name="clip"/>, sealed through the real ClipStore; returns
    /// when they begin.
    /// </summary>
    internal static DateTimeOffset SealFootage(DataDirectory data, char[] passphrase, byte[] clip, int minutes)
    {
        var t0 = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-6);
        Initialize(data, passphrase, t0);
        using var db = CatalogDatabase.Open(data.CatalogPath);
        using var audit = InstallationAudit.Open(data, db);
        var store = new ClipStore(data, db, audit.Log);
        for (var i = 0; i < minutes; i++)
        {
            using var open = store.Begin("front", null, t0.AddMinutes(i));
            open.Write(clip);
            open.Complete(t0.AddMinutes(i + 1));
        }
        return t0;
    }

    private static void Initialize(DataDirectory data, char[] passphrase, DateTimeOffset now)
    {
        Core.IO.Durable.CreatePrivateDirectory(data.Root);
        Core.IO.Durable.CreatePrivateDirectory(data.KeysDir);
        Core.IO.Durable.CreatePrivateDirectory(data.ClipsDir);
        var keys = new OwnerKeyStore(data).Create("bench", passphrase, now);
        InstallationAudit.CreateKey(data);
        using var db = CatalogDatabase.Open(data.CatalogPath, create: true);
        new SettingsRepository(db).Set(SettingsRepository.InstallId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        new OwnerRepository(db).Add("bench", keys.AgeRecipient, keys.MinisignPublicKey, now);
    }

    private static string Submit(Microsoft.Data.Sqlite.SqliteConnection db, string recipient, DateTimeOffset from, DateTimeOffset to)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var json = $$"""
            {"requester":{"organization":"Bench PD","contact":"bench@example.org","recipient":"{{recipient}}"},
             "legalBasis":{"type":"search-warrant","reference":"B-1","issuedBy":"Bench Court","issuedOn":"{{WireTime.Format(today)}}","expiresOn":"{{WireTime.Format(today.AddDays(30))}}"},
             "scope":{"cameras":["front"],"from":"{{WireTime.Format(from)}}","to":"{{WireTime.Format(to)}}"},"purpose":"benchmark"}
            """;
        var request = new AccessRequestValidator(new CameraRepository(db).ListNames()).Parse(Encoding.UTF8.GetBytes(json));
        return new RequestRepository(db).Add(request).Id;
    }
}
