using System.Text.Json;
using System.Text.Json.Nodes;
using HomeVault.Core.Replica;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// `homevault serve` (the native binary under scripts/test.sh) replicating a camsim camera's sealed clips to Ceph's
/// RADOS Gateway on loopback, killed with SIGKILL while clips wait to go and restarted.
/// </summary>
[Collection(SharedS3Gateway.Name)]
public sealed partial class ReplicaEndToEndTests(S3Gateway gateway) : IDisposable
{
    private const string Camera = "frontdoor7";
    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = ["front"] });
    private readonly ServeProcesses _serve = new();

    public void Dispose()
    {
        _serve.Dispose();
        _cams.Dispose();
    }

    /// <summary>The configuration: the camera (none when <paramref name="url"/> is null) and the Replica section.</summary>
    internal static string WriteConfig(string dir, string data, string? url, ReplicaOptions replica, string camera = Camera)
    {
        var path = ServeProcesses.WriteConfig(Path.Combine(dir, "homevault.json"), data, url is null ? [] : [(camera, url, 3, null)]);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["HomeVault"]!["Replica"] = new JsonObject
        {
            ["Endpoint"] = replica.Endpoint, ["Bucket"] = replica.Bucket, ["Prefix"] = replica.Prefix,
            ["CredentialsFile"] = replica.CredentialsFile, ["BandwidthBytesPerSecond"] = replica.BandwidthBytesPerSecond,
        };
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Serve_replicates_every_sealed_clip_once_across_a_kill_9_under_keys_without_camera_names_and_logs_without_the_secret()
    {
        var (dir, data, _) = Homevault.Init();
        var db = Path.Combine(data, "catalog.db");
        var replica = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = "hv/",
            CredentialsFile = gateway.WriteCredentialsFile(dir), BandwidthBytesPerSecond = 40_000, // slower than the camera: a backlog builds
        };
        using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
        await store.CreateBucketAsync(objectLock: false, CancellationToken.None);
        const string replicated = "SELECT count(*) FROM replica_clips WHERE state = 'replicated'";
        const string backlog = "SELECT count(*) FROM clips c WHERE c.state IN ('complete', 'truncated') AND c.id NOT IN (SELECT clip_id FROM replica_clips WHERE state = 'replicated')";

        var first = _serve.Start(WriteConfig(dir, data, _cams.Urls["front"], replica));
        ServeProcesses.WaitUntil(() => ServeProcesses.Sql(db, replicated) is not ("0" or "") && int.Parse(ServeProcesses.Sql(db, backlog) is { Length: > 0 } b ? b : "0") >= 2, 120,
            "serve replicated a clip while more wait");
        var status = Homevault.Run("cameras", "status", "--data", data);
        Assert.Matches(@"(?m)^replica: [1-9]\d* clip\(s\), [1-9]\d* bytes, [\d.]+ s behind; [1-9]\d* replicated since start$", status.Stdout);
        first.Kill(); // SIGKILL, with clips waiting and one likely on its way
        first.WaitForExit();

        replica.BandwidthBytesPerSecond = 0;
        var second = _serve.Start(WriteConfig(dir, data, _cams.Urls["front"], replica));
        ServeProcesses.WaitUntil(() => ServeProcesses.Sql(db, backlog) == "0" && int.Parse(ServeProcesses.Sql(db, replicated)) >= 4, 120, "the restarted serve caught up");
        ServeProcesses.Stop(second);

        // `replica verify` names what the bucket lacks: the clips the stop sealed, if any were not sent yet.
        var behind = int.Parse(ServeProcesses.Sql(db, backlog));
        var config = WriteConfig(dir, data, null, replica);
        var partial = Homevault.Run("replica", "verify", "--config", config);
        Assert.Equal(behind == 0 ? 0 : 1, partial.Exit);
        Assert.Equal(behind, partial.Stdout.Split('\n').Count(l => l.EndsWith(": not in the bucket", StringComparison.Ordinal)));
        // A serve without cameras sends them; then the bucket holds every sealed clip, byte for byte.
        var third = _serve.Start(config);
        ServeProcesses.WaitUntil(() => _serve.Output(third).Contains("replica: replicating", StringComparison.Ordinal) && ServeProcesses.Sql(db, backlog) == "0", 60,
            "the third serve started and sent the backlog");
        ServeProcesses.Stop(third);
        var sealedClips = ServeProcesses.Sql(db, "SELECT count(*) FROM clips WHERE state IN ('complete', 'truncated')");
        var verify = Homevault.Run("replica", "verify", "--deep", "--config", config);
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr);
        Assert.Equal($"replica OK: all {sealedClips} sealed clips are in bucket {replica.Bucket} with the catalog's SHA-256", verify.LastLine);

        // Every replicated clip is in the bucket once, byte for byte the catalog's; nothing else is under c/ (beside it only
        // the keys, catalog and audit objects a restore needs), nothing is half-done.
        var rows = ServeProcesses.Sql(db, "SELECT r.object_key || ' ' || c.sha256 FROM replica_clips r JOIN clips c ON c.id = r.clip_id WHERE r.state = 'replicated'")
            .Split('\n').Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        var all = await store.ListAsync("", CancellationToken.None);
        Assert.All(all, o => Assert.Matches("^hv/(c/[0-9a-f]{64}|o/[0-9a-f]{32}|s/keys|s/catalog|a/[0-9]{20})$", o.Key));
        var objects = all.Where(o => o.Key.StartsWith("hv/c/", StringComparison.Ordinal)).ToList();
        Assert.Equal(sealedClips, rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), objects.Select(o => o.Key).Order(StringComparer.Ordinal));
        foreach (var (key, sha) in rows)
        {
            await using var body = await store.OpenReadAsync(key, CancellationToken.None);
            Assert.Equal(sha, Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(body, TestContext.Current.CancellationToken)));
            Assert.Matches("^hv/c/[0-9a-f]{64}$", key);
        }
        Assert.Equal(0, await store.CountOpenMultipartAsync("", CancellationToken.None));
        var logs = _serve.Output(first) + _serve.Output(second) + _serve.Output(third) + verify.Stdout + verify.Stderr;
        Assert.Contains("replica: clip", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.SecretKey, logs, StringComparison.Ordinal);
        Assert.Empty(SecretScan.Private(gateway.SecretKey, [data], except: ""));
    }

    [Fact]
    public void Serve_refuses_a_replica_without_its_credentials_file_in_one_line()
    {
        var (dir, data, _) = Homevault.Init();
        var missing = Path.Combine(dir, "no-such-credentials");
        var config = WriteConfig(dir, data, _cams.Urls["front"], new ReplicaOptions { Endpoint = gateway.Endpoint, Bucket = "house", CredentialsFile = missing });

        var r = Homevault.Run("serve", "--config", config, "--duration", "5");

        Assert.Equal(1, r.Exit);
        Assert.Equal($"homevault: replica credentials file {missing} does not exist", r.Stderr.TrimEnd('\n'));
    }
}
