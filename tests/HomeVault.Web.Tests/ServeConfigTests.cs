using System.Text.Json;
using HomeVault.Tests;

namespace HomeVault.Web.Tests;

/// <summary>The Http section is validated when `homevault serve` starts: one line naming the field, nothing started.</summary>
public sealed class ServeConfigTests(ServeConfigTests.DataDir shared) : IClassFixture<ServeConfigTests.DataDir>
{
    /// <summary>One initialised data directory for every case (serve refuses before touching it).</summary>
    public sealed class DataDir : IDisposable
    {
        public DataDir()
        {
            Dir = TestEnv.NewTempDir("hvcfg");
            var pass = Path.Combine(Dir, "pass");
            File.WriteAllText(pass, WebHost.Passphrase + "\n");
            Data = Path.Combine(Dir, "data");
            Assert.Equal(0, Homevault.Run("init", "--data", Data, "--owner", "alice", "--passphrase-file", pass).Exit);
        }

        public string Dir { get; }

        public string Data { get; }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    [Theory]
    [InlineData("{\"IntakeUrls\":\"https://0.0.0.0:8640\"}", "Http:IntakeUrls: 'https://0.0.0.0:8640' is not an http://HOST:PORT URL")]
    [InlineData("{\"IntakeUrls\":\"http://127.0.0.1:18641\",\"ConsoleUrls\":\"http://127.0.0.1:18641\"}", "Http:ConsoleUrls: port 18641 is also an intake port")]
    [InlineData("{\"ConsoleUrls\":\"http://console.example:8641\"}", "must name an IP address or localhost")]
    [InlineData("{\"ConsoleIdleMinutes\":0}", "Http:ConsoleIdleMinutes: must be 1..1440")]
    [InlineData("{\"Webhooks\":[\"ftp://x\"]}", "Http:Webhooks[0]: not an http:// or https:// URL")]
    [InlineData("{\"TrustedProxies\":[\"proxy.lan\"]}", "Http:TrustedProxies[0]: not an IP address")]
    [InlineData("{\"TimeZone\":\"Mars/Olympus_Mons\"}", "Http:TimeZone: 'Mars/Olympus_Mons' is not a time zone this system knows")]
    [InlineData("{\"PublicIntakeUrl\":\"vault.example.org\"}", "Http:PublicIntakeUrl: not an http:// or https:// URL")]
    [InlineData("{\"PublicIntakeUrl\":\"https://vault.example.org/?token=1\"}", "Http:PublicIntakeUrl: not an http:// or https:// URL without user, query or fragment")]
    [InlineData("{\"IntakeUrl\":\"http://127.0.0.1:0\"}", "IntakeUrl")]
    public void A_bad_http_section_stops_serve_with_one_line(string http, string expected)
    {
        var data = shared.Data;
        var config = Path.Combine(shared.Dir, $"homevault-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, $$"""{ "HomeVault": { "DataDirectory": {{JsonSerializer.Serialize(data)}} }, "Http": {{http}} }""");
        var r = Homevault.Run("serve", "--config", config, "--duration", "5");
        Assert.Equal(1, r.Exit);
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("homevault: configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "status", "http.json")));
    }
}
