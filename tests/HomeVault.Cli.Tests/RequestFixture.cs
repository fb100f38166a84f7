using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>Data directories with cameras and request files for the request and report command tests.</summary>
internal static class RequestFixture
{
    // Requests must cover recorded (past) time and a current legal document: build them relative to today.
    public static readonly DateTimeOffset Day = new(DateTime.UtcNow.Date.AddDays(-2), TimeSpan.Zero);
    public static readonly DateTimeOffset From = Day.AddHours(20);
    public static readonly DateTimeOffset To = Day.AddHours(22);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Date(int daysFromToday) => DateTime.UtcNow.Date.AddDays(daysFromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static (string Dir, string Data, string Pass) Setup()
    {
        var (dir, data, pass) = Homevault.Init();
        var r = TestEnv.Run(TestEnv.Tool("sqlite3"), [Path.Combine(data, "catalog.db"), "INSERT INTO cameras(name, created_ms) VALUES ('front', 0), ('drive', 0)"]);
        Assert.True(r.Exit == 0, r.Stderr);
        return (dir, data, pass);
    }

    public static JsonObject Request(string type = "search-warrant") => new()
    {
        ["requester"] = new JsonObject
        {
            ["organization"] = "Springfield Police Department",
            ["contact"] = "records@springfield.example",
            ["recipient"] = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
        },
        ["legalBasis"] = type == "preservation"
            ? new JsonObject { ["type"] = type }
            : new JsonObject
            {
                ["type"] = type,
                ["reference"] = "SW-2026-0142",
                ["issuedBy"] = "Springfield District Court",
                ["issuedOn"] = Date(-1),
                ["expiresOn"] = Date(30),
            },
        ["scope"] = new JsonObject
        {
            ["cameras"] = new JsonArray("front", "drive"),
            ["from"] = Iso(From),
            ["to"] = Iso(To),
        },
        ["purpose"] = "Vehicle break-in reported on Elm Street",
    };

    public static string Write(string dir, JsonObject request)
    {
        var path = Path.Combine(dir, $"request-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, request.ToJsonString());
        return path;
    }

    public static string Submit(string dir, string data, JsonObject? request = null)
    {
        var r = Homevault.Run("requests", "submit", "--data", data, "--file", Write(dir, request ?? Request()));
        Assert.True(r.Exit == 0, r.Stderr);
        return r.LastLine;
    }

    public static List<JsonElement> AuditEntries(string data)
    {
        var log = Homevault.Run("audit", "log", "--json", "--data", data);
        Assert.True(log.Exit == 0, log.Stderr);
        return JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray().ToList();
    }

    public static List<string> Actions(string data) => AuditEntries(data).Select(e => e.GetProperty("action").GetString()!).ToList();

    public static string State(string data, string id)
    {
        var list = Homevault.Run("requests", "list", "--json", "--data", data);
        Assert.True(list.Exit == 0, list.Stderr);
        return JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == id).GetProperty("state").GetString()!;
    }

    public static void AssertAuditVerifies(string data)
    {
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
        Assert.StartsWith("audit log OK", verify.Stdout, StringComparison.Ordinal);
    }
}
