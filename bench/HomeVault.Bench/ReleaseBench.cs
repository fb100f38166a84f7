using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Json;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Keys;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;

namespace HomeVault.Bench;

/// <summary>
/// `release [--minutes 60] [--mbps 4] [--rounds 3] [--cli PATH]`: one camera's N minutes of M Mbit/s H.264 as sealed
/// one-minute clips (one pre-encoded clip sealed N times through the real ClipStore: set-up, not measured), released by
/// the owner's approval run as the `homevault requests approve` process (two passphrase unlocks, decrypt, re-encrypt to
/// the requester, hash, fsync, sign, audit proof, .tar) against, in the same run, over the same clips and into the same
/// directory, a shell running `age -d -i OWNER | age -r RECIPIENT` per clip (and the same followed by `sync`). Each side
/// a whole process tree: wall time and CPU time (getrusage of the children). `--cli` names the homevault binary
/// (default: published natively here, as the README installs it).
/// </summary>
public static class ReleaseBench
{
    public static int Run(string[] args)
    {
        var minutes = (int)BenchArgs.Num(args, "--minutes", 60);
        var mbps = (int)BenchArgs.Num(args, "--mbps", 4);
        var rounds = (int)BenchArgs.Num(args, "--rounds", 3);
        var dir = Path.Combine(Path.GetTempPath(), "hv-releasebench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var cli = BenchArgs.Text(args, "--cli", "") is { Length: > 0 } given
                ? Path.GetFullPath(given)
                : NativeCli.Publish(NativeCli.RepoRoot(), dir);
            return RunIn(dir, cli, minutes, mbps, rounds);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, string cli, int minutes, int mbps, int rounds)
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
        var passphraseFile = Path.Combine(dir, "passphrase");
        File.WriteAllText(passphraseFile, new string(passphrase) + "\n");
        File.SetUnixFileMode(passphraseFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // The peer: the owner's identity as a plain key file (the fairest case for age: no scrypt), each clip piped
        // through two age processes by one shell, as a user would script it.
        var ownerKey = Path.Combine(dir, "owner.key");
        using (var owner = new OwnerKeyStore(data).UnlockIdentity("bench", passphrase))
        {
            File.WriteAllText(ownerKey, IdentityFile.Format(owner, DateTimeOffset.UtcNow));
        }
        var clips = new ClipRepository(db).Query("front");
        var peerOut = Path.Combine(dir, "peer");
        var script = new StringBuilder("set -e\n");
        foreach (var c in clips)
        {
            script.Append(CultureInfo.InvariantCulture,
                $"age -d -i '{ownerKey}' '{Path.Combine(data.Root, c.Path)}' | age -r {recipient.Recipient} -o '{Path.Combine(peerOut, Path.GetFileName(c.Path))}'\n");
        }
        var scriptFile = Path.Combine(dir, "peer.sh");
        File.WriteAllText(scriptFile, script.ToString());

        // Interleaved (the order alternates every round), best of the rounds: the machine is shared, so alternating
        // keeps both sides under the same load. Each HomeVault round approves a fresh request for the same window.
        var best = new Dictionary<string, ProcessSample>();
        void Keep(string side, ProcessSample s) => best[side] = best.TryGetValue(side, out var b) ? ProcessSample.Best(b, s) : s;
        var loadBefore = BenchStamp.LoadAverage();
        ReleaseCheck? release = null;
        for (var round = 0; round < rounds; round++)
        {
            string[] order = round % 2 == 0 ? ["homevault", "age", "age+sync"] : ["age+sync", "age", "homevault"];
            foreach (var side in order)
            {
                if (side == "homevault")
                {
                    var id = Submit(db, recipient.Recipient.ToString(), t0, t0.AddMinutes(minutes));
                    var hvOut = Path.Combine(dir, "hv");
                    Keep(side, ProcessSample.Measure(dir,
                        [cli, "requests", "approve", id, "--data", data.Root, "--owner", "bench", "--passphrase-file", passphraseFile, "--out", hvOut]));
                    release = Check(data, Path.Combine(hvOut, id), minutes);
                    Directory.Delete(hvOut, recursive: true);
                    continue;
                }
                Directory.CreateDirectory(peerOut);
                string[][] commands = side == "age+sync" ? [["/bin/sh", scriptFile], ["sync", "-f", peerOut]] : [["/bin/sh", scriptFile]];
                Keep(side, ProcessSample.Measure(dir, commands));
                if (Directory.GetFiles(peerOut).Length != minutes)
                {
                    throw new InvalidOperationException("the age pipeline did not write every clip");
                }
                Directory.Delete(peerOut, recursive: true);
            }
        }

        // Two passphrase unlocks (scrypt, work factor 18) are part of every approval; the age peer uses a plain key file.
        var unlock = Stopwatch.StartNew();
        new OwnerKeyStore(data).UnlockIdentity("bench", passphrase).Dispose();
        unlock.Stop();
        Array.Clear(passphrase);
        File.Delete(passphraseFile);

        Console.WriteLine();
        BenchStamp.Print($"{BenchStamp.Binary(cli)} against age {Tool.Run("age", "--version").Trim()}, each a whole process", loadBefore);
        Console.WriteLine($"| {minutes} min, one camera, {sealedBytes / 1e9:0.00} GB sealed, best of {rounds}, interleaved | wall s | CPU s | MB per wall s | wall / age | CPU / age |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (side, label) in new[]
                 {
                     ("age", "`age -d \\| age -r` per clip, one shell (no fsync)"),
                     ("age+sync", "the same, then `sync -f` of its output"),
                     ("homevault", $"`homevault requests approve`: 2 scrypt unlocks, decrypt, keep the window, re-encrypt, hash, fsync, manifest, signatures, audit proof, .tar ({release!.Clips} clips)"),
                 })
        {
            var s = best[side];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {s.Wall:0.00} | {s.Cpu:0.00} | {sealedBytes / 1e6 / s.Wall:0} | {s.Wall / best["age"].Wall:0.00}x | {s.Cpu / best["age"].Cpu:0.00}x |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(one scrypt unlock takes {unlock.Elapsed.TotalSeconds:0.00} s in this process; an approval does two, the age peer none)"));
        return 0;
    }

    private sealed record ReleaseCheck(int Clips);

    /// <summary>The release the approval wrote verifies and carries every clip of the window.</summary>
    private static ReleaseCheck Check(DataDirectory data, string releaseDir, int minutes)
    {
        var ownerPub = MinisignPublicKey.Parse(File.ReadAllText(data.OwnerMinisignPublicKeyPath("bench")));
        var check = ReleaseVerifier.Verify(releaseDir, [ownerPub]);
        var clips = Directory.GetFiles(Path.Combine(releaseDir, ReleaseFiles.ClipsDir), "*", SearchOption.AllDirectories).Length;
        return check.Ok && clips == minutes
            ? new ReleaseCheck(clips)
            : throw new InvalidOperationException($"the release did not verify ({clips} clips): {check.Problem}");
    }

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
