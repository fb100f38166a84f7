using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>Steps the release tests share: a recipient key from stock age-keygen, a submitted request, audit lookups.</summary>
internal static class ReleaseTestKit
{
    /// <summary>A recipient identity written by stock age-keygen; returns (identity file, age1 recipient).</summary>
    public static (string KeyFile, string Recipient) NewRecipient(string dir)
    {
        var key = Path.Combine(dir, $"recipient-{Guid.NewGuid():N}.key");
        var r = TestEnv.Run(TestEnv.Tool("age-keygen"), ["-o", key]);
        Assert.True(r.Exit == 0, r.Stderr);
        return (key, File.ReadAllLines(key).Single(l => l.StartsWith("# public key: ", StringComparison.Ordinal))["# public key: ".Length..]);
    }

    public static string Submit(string dir, string data, string recipient, DateTimeOffset from, DateTimeOffset to, params string[] cameras)
    {
        string Day(int d) => DateTime.UtcNow.Date.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Second(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var request = new JsonObject
        {
            ["requester"] = new JsonObject { ["organization"] = "Springfield Police Department", ["contact"] = "records@springfield.example", ["recipient"] = recipient },
            ["legalBasis"] = new JsonObject { ["type"] = "search-warrant", ["reference"] = "SW-2026-0142", ["issuedBy"] = "Springfield District Court", ["issuedOn"] = Day(-1), ["expiresOn"] = Day(30) },
            ["scope"] = new JsonObject { ["cameras"] = new JsonArray([.. cameras.Select(c => JsonValue.Create(c))]), ["from"] = Second(from), ["to"] = Second(to) },
            ["purpose"] = "Vehicle break-in reported on Elm Street",
        };
        var file = Path.Combine(dir, $"request-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, request.ToJsonString());
        var r = Homevault.Run("requests", "submit", "--data", data, "--file", file);
        Assert.True(r.Exit == 0, r.Stderr);
        return r.LastLine;
    }

    public static List<JsonElement> Audit(string data)
    {
        var log = Homevault.Run("audit", "log", "--json", "--data", data);
        Assert.True(log.Exit == 0, log.Stderr);
        return JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray().ToList();
    }

    public static void AuditVerifies(string data)
    {
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr + verify.Stdout);
    }

    /// <summary>The token line of `requests approve`.</summary>
    public static string Token(Homevault.Result approve) =>
        approve.Stdout.Split('\n').Single(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..].Split(' ')[0];

    /// <summary>Runs stock ffprobe on a decrypted clip: the codec types of its streams and its decoded frame count.</summary>
    public static (string[] Streams, int Frames) Probe(string mp4)
    {
        var streams = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", mp4]);
        Assert.True(streams.Exit == 0, streams.Stderr);
        var frames = TestEnv.Run(TestEnv.Tool("ffprobe"), ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", mp4]);
        Assert.True(frames.Exit == 0, frames.Stderr);
        return (Encoding.UTF8.GetString(streams.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            int.Parse(Encoding.UTF8.GetString(frames.Stdout).Trim(), CultureInfo.InvariantCulture));
    }
}
