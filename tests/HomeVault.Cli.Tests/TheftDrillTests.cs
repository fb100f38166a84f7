using System.Text;
using HomeVault.Core.Replica;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// The theft drill (issue 18's "done when"), with the native binary: `serve` records a camsim camera and replicates to
/// Ceph's RADOS Gateway; the whole data directory is then deleted, and `replica restore` rebuilds it on a fresh one from
/// the bucket's credentials file and an owner's passphrase only. Stock `age` opens a restored clip, `audit verify`
/// passes, and the restored directory records on with its log growing consistently.
/// </summary>
[Collection(SharedS3Gateway.Name)]
public sealed class TheftDrillTests(S3Gateway gateway) : IDisposable
{
    private const string Camera = "porchcam42";
    private const string Owner = "zebrawood";
    private const string Passphrase = "correct horse battery staple";
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 600, Mounts = ["porch"] });
    private readonly ServeProcesses _serve = new();

    public void Dispose()
    {
        _serve.Dispose();
        _cams.Dispose();
    }

    [Fact]
    public async Task After_the_data_directory_is_gone_restore_from_bucket_and_passphrase_rebuilds_it_and_it_records_on()
    {
        var (dir, data, pass) = Homevault.Init(Owner, Passphrase);
        var db = Path.Combine(data, "catalog.db");
        var replica = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = "hv/", CredentialsFile = gateway.WriteCredentialsFile(dir),
        };
        using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
        await store.CreateBucketAsync(objectLock: false, CancellationToken.None);
        var config = ReplicaEndToEndTests.WriteConfig(dir, data, _cams.Urls["porch"], replica, Camera);

        // Record until three clips are in the bucket and the bucket's audit log covers their leaves.
        const string covered = """
            SELECT count(*) FROM clips c JOIN replica_clips r ON r.clip_id = c.id
            WHERE r.state = 'replicated' AND c.audit_index < (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'replica_audit_next')
            """;
        var first = _serve.Start(config);
        ServeProcesses.WaitUntil(() => int.TryParse(ServeProcesses.Sql(db, covered), out var n) && n >= 3, 180, "three clips and their leaves replicated");
        ServeProcesses.Stop(first);
        // Before the theft: the bucket's audit log, opened with the owner's passphrase, is a prefix of the local one.
        var auditCheck = Homevault.Run("replica", "verify", "--audit", "--config", config, "--passphrase-file", pass);
        Assert.Matches(@"(?m)^audit OK: the bucket's log \(\d+ entries, its checkpoint signed and consistent\) is a prefix of the local one \(\d+\); \d+ not sent yet$",
            auditCheck.Stdout);

        // The theft: nothing of the data directory is left.
        Directory.Delete(data, recursive: true);
        var restored = Path.Combine(dir, "restored");

        // A wrong passphrase: one line, nothing written.
        var wrong = Path.Combine(dir, "wrong-pass");
        File.WriteAllText(wrong, "not the passphrase at all\n");
        var refused = Homevault.Run("replica", "restore", "--config", config, "--to", restored, "--passphrase-file", wrong);
        Assert.Equal(1, refused.Exit);
        Assert.Matches(@"^homevault: wrong passphrase: it opens none of the 1 owner key\(s\) in bucket hv-[0-9a-f]+; nothing was written\n$", refused.Stderr);
        Assert.False(Directory.Exists(restored));

        var restore = Homevault.Run("replica", "restore", "--config", config, "--to", restored, "--passphrase-file", pass);
        Assert.True(restore.Exit == 0, restore.Stdout + restore.Stderr);
        Assert.StartsWith($"restored {restored}: ", restore.LastLine, StringComparison.Ordinal);
        // The snapshot was taken as serve started, the clips were sealed after it: their rows came back through the audit segments.
        Assert.Matches(@"(?m)^audit log: \d+ entries \(\d+ from the catalog snapshot, the rest from [1-9]\d* segment\(s\), ([3-9]|\d\d+) catalog row\(s\) rebuilt from them\)$",
            restore.Stdout);
        var verify = Homevault.Run("audit", "verify", "--data", restored);
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr);

        // A restored clip opens with stock age and the identity that stock age unlocks with the passphrase.
        var clips = ServeProcesses.Clips(restored);
        Assert.True(clips.Count >= 3, restore.Stdout);
        var identity = Path.Combine(dir, "identity.txt");
        var (exit, terminal) = AgeTty.Run(Passphrase, "-d", "-o", identity, Path.Combine(restored, "keys", Owner + ".identity.age"));
        Assert.True(exit == 0, terminal);
        var clipPath = ServeProcesses.Sql(Path.Combine(restored, "catalog.db"), "SELECT path FROM clips WHERE state = 'complete' ORDER BY id LIMIT 1");
        var opened = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", identity, Path.Combine(restored, clipPath)]);
        Assert.True(opened.Exit == 0, opened.Stderr);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(opened.Stdout, 4, 4));
        File.Delete(identity);

        // The restored directory records on: same log key, the log grows from the restored one, and verifies.
        var restoredDb = Path.Combine(restored, "catalog.db");
        var sizeAtRestore = int.Parse(ServeProcesses.Sql(restoredDb, "SELECT count(*) FROM audit_entries"));
        var sealedAtRestore = int.Parse(ServeProcesses.Sql(restoredDb, "SELECT count(*) FROM clips WHERE state = 'complete'"));
        var again = _serve.Start(ReplicaEndToEndTests.WriteConfig(dir, restored, _cams.Urls["porch"], replica, Camera));
        ServeProcesses.WaitUntil(() => int.Parse(ServeProcesses.Sql(restoredDb, "SELECT count(*) FROM clips WHERE state = 'complete'")) > sealedAtRestore, 120,
            "the restored directory sealed a new clip");
        ServeProcesses.Stop(again);
        Assert.True(int.Parse(ServeProcesses.Sql(restoredDb, "SELECT count(*) FROM audit_entries")) > sizeAtRestore);
        var verifyAgain = Homevault.Run("audit", "verify", "--data", restored);
        Assert.True(verifyAgain.Exit == 0, verifyAgain.Stdout + verifyAgain.Stderr);

        // The bucket's keys are opaque: no camera, no owner; no log and no file of the restored directory holds the secret key.
        var keys = (await store.ListAsync("", CancellationToken.None)).Select(o => o.Key).ToList();
        Assert.All(keys, k => Assert.Matches("^hv/(c/[0-9a-f]{64}|o/[0-9a-f]{32}|s/keys|s/catalog|a/[0-9]{20})$", k));
        Assert.Contains("hv/s/catalog", keys);
        Assert.DoesNotContain(keys, k => k.Contains(Camera, StringComparison.Ordinal) || k.Contains(Owner, StringComparison.Ordinal));
        foreach (var key in keys.Where(k => !k.StartsWith("hv/c/", StringComparison.Ordinal)))
        {
            await using var body = await store.OpenReadAsync(key, CancellationToken.None);
            using var bytes = new MemoryStream();
            await body.CopyToAsync(bytes, TestContext.Current.CancellationToken);
            Assert.StartsWith("age-encryption.org/v1\n", Encoding.ASCII.GetString(bytes.ToArray(), 0, 22), StringComparison.Ordinal);
            Assert.DoesNotContain(Camera, Encoding.Latin1.GetString(bytes.ToArray()), StringComparison.Ordinal);
        }
        var logs = _serve.Output(first) + _serve.Output(again) + auditCheck.Stdout + auditCheck.Stderr + refused.Stdout + refused.Stderr + restore.Stdout + restore.Stderr;
        Assert.DoesNotContain(gateway.SecretKey, logs, StringComparison.Ordinal);
        Assert.Empty(SecretScan.Private(gateway.SecretKey, [restored], except: ""));
    }

    [Fact]
    public async Task Restore_names_an_empty_bucket_and_a_non_empty_directory_in_one_line_and_writes_nothing()
    {
        var (dir, data, pass) = Homevault.Init(Owner, Passphrase);
        var replica = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = "hv/", CredentialsFile = gateway.WriteCredentialsFile(dir),
        };
        using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
        await store.CreateBucketAsync(objectLock: false, CancellationToken.None);
        var config = ReplicaEndToEndTests.WriteConfig(dir, data, null, replica);
        var target = Path.Combine(dir, "restored");

        var empty = Homevault.Run("replica", "restore", "--config", config, "--to", target, "--passphrase-file", pass);
        Assert.Equal(1, empty.Exit);
        Assert.Equal($"homevault: bucket {replica.Bucket} holds no HomeVault replica under prefix 'hv/' (no owner key objects)\n", empty.Stderr);
        Assert.False(Directory.Exists(target));

        var occupied = Homevault.Run("replica", "restore", "--config", config, "--to", data, "--passphrase-file", pass);
        Assert.Equal(1, occupied.Exit);
        Assert.Equal($"homevault: {data} already exists and is not empty; nothing was changed\n", occupied.Stderr);
        Assert.True(File.Exists(Path.Combine(data, "catalog.db")));
    }
}
