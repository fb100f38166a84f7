using System.Text.Json;
using System.Text.Json.Nodes;
using HomeVault.Cli.Tests.Recording;
using HomeVault.Core.Replica;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// `homevault serve` recording a camsim camera and replicating to Ceph's RADOS Gateway, with Replica:AlertLagSeconds
/// and a webhook receiver: taking the gateway away makes the replica fall behind (one replica.lagging), bringing it
/// back lets it catch up (one replica.caught_up), and neither repeats while the state holds.
/// </summary>
[Collection(SharedS3Gateway.Name)]
public sealed class ReplicaLagWebhookTests(S3Gateway gateway) : IDisposable
{
    private const int AlertLagSeconds = 8;
    private const string Replicated = "SELECT count(*) FROM replica_clips WHERE state = 'replicated'";

    private readonly CamsimProcess _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
        new CamsimSettings { Size = "640x360", Seconds = 300, Mounts = ["front"] });

    public void Dispose() => _cams.Dispose();

    [Fact]
    public async Task Falling_behind_posts_one_replica_lagging_and_catching_up_one_replica_caught_up()
    {
        var (dir, data, _) = Homevault.Init();
        using var hooks = new HookReceiver();
        var replica = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = "hv/", CredentialsFile = gateway.WriteCredentialsFile(dir),
        };
        using (var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile)))
        {
            await store.CreateBucketAsync(objectLock: false, CancellationToken.None);
        }
        var config = ServeHarness.WriteConfig(dir, data, [new { Name = "front", Url = _cams.Urls["front"], ClipSeconds = 2 }], webhook: hooks.Url);
        var json = JsonNode.Parse(File.ReadAllText(config))!;
        json["HomeVault"]!["Replica"] = new JsonObject
        {
            ["Endpoint"] = replica.Endpoint, ["Bucket"] = replica.Bucket, ["Prefix"] = replica.Prefix,
            ["CredentialsFile"] = replica.CredentialsFile, ["AlertLagSeconds"] = AlertLagSeconds,
        };
        File.WriteAllText(config, json.ToJsonString());
        using var serve = new ServeHarness(data, config);
        var p = serve.Start();
        serve.WaitFor(() => serve.SqlLong(Replicated) >= 2, "clips replicated while the gateway is up", p);
        Assert.Empty(Events(hooks, "replica.lagging"));

        gateway.StopGateway();
        try
        {
            serve.WaitFor(() => Events(hooks, "replica.lagging").Count == 1, "a replica.lagging webhook while the gateway is away", p);
        }
        finally
        {
            gateway.StartGateway();
        }
        serve.WaitFor(() => Events(hooks, "replica.caught_up").Count == 1, "a replica.caught_up webhook once the gateway is back", p, seconds: 150);
        // The state holds for a while: more clips go off site and neither event repeats.
        var caughtUpAt = serve.SqlLong(Replicated);
        serve.WaitFor(() => serve.SqlLong(Replicated) >= caughtUpAt + 3, "three more clips replicated", p);
        serve.Stop(p);

        var lagging = Assert.Single(Events(hooks, "replica.lagging"));
        var caughtUp = Assert.Single(Events(hooks, "replica.caught_up"));
        var lagSeconds = double.Parse(lagging.GetProperty("detail").GetString()!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lagSeconds > AlertLagSeconds, lagging.ToString());
        Assert.Matches(@"^[\d.]+ s behind: [1-9]\d* clip\(s\), [1-9]\d* bytes not yet replicated$", lagging.GetProperty("detail").GetString());
        Assert.Matches(@"^[\d.]+ s behind$", caughtUp.GetProperty("detail").GetString());
        Assert.True(caughtUp.GetProperty("time").GetDateTimeOffset() > lagging.GetProperty("time").GetDateTimeOffset());
        Assert.All(hooks.Bodies, b => Assert.DoesNotContain(gateway.SecretKey, b, StringComparison.Ordinal));
    }

    private static List<JsonElement> Events(HookReceiver hooks, string name) =>
        [.. hooks.Bodies.Select(b => JsonDocument.Parse(b).RootElement).Where(e => e.GetProperty("event").GetString() == name)];
}
