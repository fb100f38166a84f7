using System.Globalization;
using HomeVault.Core.Replica;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// `homevault replica sync` (the native binary under scripts/test.sh) on a camsim camera's sealed clips and Ceph's RADOS
/// Gateway on loopback: refused beside a running `serve`, one line and nothing marked with the gateway stopped, then
/// every sealed clip sent, which `replica verify --deep` confirms.
/// </summary>
public sealed partial class ReplicaEndToEndTests
{
    private const string Replicated = "SELECT count(*) FROM replica_clips WHERE state = 'replicated'";
    private const string Sealed = "SELECT count(*) FROM clips WHERE state IN ('complete', 'truncated')";

    [Fact]
    public async Task Sync_is_refused_beside_serve_fails_in_one_line_while_the_gateway_is_down_and_then_sends_every_sealed_clip()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, data, _) = Homevault.Init();
        var db = Path.Combine(data, "catalog.db");
        var replica = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = "hv/", CredentialsFile = gateway.WriteCredentialsFile(dir),
        };
        using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
        await store.CreateBucketAsync(objectLock: false, ct);
        var config = WriteConfig(dir, data, null, replica);

        // A recorder without a Replica section holds the directory: sync would race the recorder's own replicator.
        var serve = _serve.Start(ServeProcesses.WriteConfig(Path.Combine(dir, "record.json"), data, [("front", _cams.Urls["front"], 2, null)]));
        ServeProcesses.WaitUntil(() => int.Parse(ServeProcesses.Sql(db, Sealed), CultureInfo.InvariantCulture) >= 3, 90, "serve sealed three clips");
        var beside = Homevault.Run("replica", "sync", "--config", config);
        Assert.Equal(1, beside.Exit);
        Assert.Equal("", beside.Stdout);
        Assert.Equal($"homevault: replica sync: {data} is in use by a running recorder (PID {serve.Id.ToString(CultureInfo.InvariantCulture)}), whose replica service sends "
            + "the backlog itself (see the replica line of 'homevault cameras status'); stop it first to sync from here", beside.Stderr.TrimEnd('\n'));
        ServeProcesses.Stop(serve);
        var clips = ServeProcesses.Sql(db, Sealed);
        var bytes = ServeProcesses.Sql(db, "SELECT sum(ciphertext_bytes) FROM clips WHERE state IN ('complete', 'truncated')");

        gateway.StopGateway();
        Homevault.Result down;
        try
        {
            down = Homevault.Run("replica", "sync", "--config", config);
        }
        finally
        {
            gateway.StartGateway();
        }
        Assert.Equal(1, down.Exit);
        Assert.Equal("", down.Stdout);
        var line = Assert.Single(down.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"homevault: replica sync: bucket {replica.Bucket} at {gateway.Endpoint} failed: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"; {clips} sealed clip(s) not replicated (run it again to resume)", line, StringComparison.Ordinal);
        Assert.Equal("0", ServeProcesses.Sql(db, Replicated));
        Assert.Empty(await store.ListAsync("", ct));

        var sync = Homevault.Run("replica", "sync", "--config", config);
        Assert.True(sync.Exit == 0, sync.Stderr + sync.Stdout);
        Assert.Equal($"replica sync: all {clips} sealed clips are in bucket {replica.Bucket} ({clips} sent now, {bytes} bytes)", sync.LastLine);
        Assert.Equal(clips, ServeProcesses.Sql(db, Replicated));
        Assert.Contains("restore objects: catalog snapshot sent, keys sent, audit entries 0..", sync.Stdout, StringComparison.Ordinal);
        var objects = await store.ListAsync("", ct);
        Assert.Equal(int.Parse(clips, CultureInfo.InvariantCulture), objects.Count(o => o.Key.StartsWith("hv/c/", StringComparison.Ordinal)));
        Assert.Contains(objects, o => o.Key == "hv/s/catalog");
        Assert.Contains(objects, o => o.Key == "hv/s/keys");
        var verify = Homevault.Run("replica", "verify", "--deep", "--config", config);
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr);
        Assert.Equal($"replica OK: all {clips} sealed clips are in bucket {replica.Bucket} with the catalog's SHA-256", verify.LastLine);

        // Run again, it has nothing to send.
        var again = Homevault.Run("replica", "sync", "--config", config);
        Assert.Equal(0, again.Exit);
        Assert.Equal($"replica sync: all {clips} sealed clips are in bucket {replica.Bucket} (0 sent now, 0 bytes)", again.LastLine);
        Assert.Equal(objects.Count, (await store.ListAsync("", ct)).Count);
        Assert.DoesNotContain(gateway.SecretKey, beside.Stderr + down.Stderr + sync.Stdout + sync.Stderr + again.Stdout, StringComparison.Ordinal);
    }
}
