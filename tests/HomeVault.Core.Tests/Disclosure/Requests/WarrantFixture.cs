using System.Text;
using System.Text.Json.Nodes;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using HomeVault.Tests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Disclosure.Requests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Request JSON as in config/request.example.json, with the clock four days after the incident.</summary>
internal static class TestRequests
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static readonly string[] Cameras = ["front", "drive", "back"];

    public const string Recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    public static string ExampleText => File.ReadAllText(Path.Combine(TestEnv.RepoRoot, "config", "request.example.json"));

    public static JsonObject Example() => JsonNode.Parse(ExampleText)!.AsObject();

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static AccessRequestValidator Validator(ManualTime? time = null, AccessRequestLimits? limits = null) =>
        new(Cameras, time ?? new ManualTime(Now), limits);

    public static AccessRequest Parse(Action<JsonObject>? change = null, ManualTime? time = null)
    {
        var json = Example();
        change?.Invoke(json);
        return Validator(time).Parse(Bytes(json));
    }

    public static AccessRequest Preservation() => Parse(j =>
    {
        j["legalBasis"] = new JsonObject { ["type"] = "preservation", ["reference"] = "PR-77", ["issuedBy"] = "Springfield PD" };
    });
}

/// <summary>A real catalog file with cameras and owners holding real minisign keys.</summary>
internal sealed class Household : IDisposable
{
    private readonly string _dir = TestEnv.NewTempDir("hv-warrant");

    public Household(int owners = 2)
    {
        DbPath = Path.Combine(_dir, "catalog.db");
        Db = CatalogDatabase.Open(DbPath, create: true);
        var cams = new CameraRepository(Db);
        foreach (var c in TestRequests.Cameras)
        {
            CameraIds[c] = cams.Ensure(c, TestRequests.Now);
        }
        for (var i = 0; i < owners; i++)
        {
            AddOwner($"owner{i + 1}");
        }
        Repo = new RequestRepository(Db, Time);
    }

    public string Dir => _dir;

    public string DbPath { get; }

    public SqliteConnection Db { get; }

    public ManualTime Time { get; } = new(TestRequests.Now);

    public RequestRepository Repo { get; }

    public Dictionary<string, long> CameraIds { get; } = [];

    public Dictionary<string, MinisignKey> Keys { get; } = [];

    public Dictionary<string, X25519Identity> Identities { get; } = [];

    public void AddOwner(string name)
    {
        var key = MinisignKey.Create();
        var identity = X25519Identity.Generate();
        new OwnerRepository(Db).Add(name, identity.Recipient.ToString(), key.PublicKey.ToBase64(), TestRequests.Now);
        Keys[name] = key;
        Identities[name] = identity;
    }

    public StoredRequest Submit(AccessRequest? request = null) => Repo.Add(request ?? TestRequests.Parse());

    /// <summary>The statement for approving the whole requested scope, with a release valid for 14 days.</summary>
    public ApprovalStatement WholeScope(StoredRequest request, bool stripAudio = false) =>
        ApprovalStatement.Create(request, request.Request.Scope.Cameras, request.Request.Scope.From, request.Request.Scope.To,
            stripAudio, Time.Now.AddDays(14), Time.Now);

    public string Sign(string owner, ApprovalStatement statement) =>
        Keys[owner].Sign(statement.ToBytes(), $"homevault approval {statement.RequestId} by {owner}").ToFileText();

    public ApprovalResult Approve(string owner, ApprovalStatement statement) =>
        Repo.Approve(statement.RequestId, owner, statement.ToBytes(), Sign(owner, statement));

    public long Exec(string sql)
    {
        using var cmd = Db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Db.Dispose();
        foreach (var k in Keys.Values)
        {
            k.Dispose();
        }
        foreach (var i in Identities.Values)
        {
            i.Dispose();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
