using HomeVault.Core.Recorder;
using HomeVault.Recording.Export;
using HomeVault.Recording.ReleasedClips;
using HomeVault.Tests;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HomeVault.Web.Tests;

/// <summary>
/// A data directory made by the real CLI (`init`, `requesters add`) and the web side on real Kestrel listeners
/// (port 0 on loopback), as `homevault serve` hosts it.
/// </summary>
internal sealed class WebHost : IAsyncDisposable
{
    public const string Passphrase = "correct horse battery staple";

    /// <summary>The recipient the test requester's token is bound to (C2SP age test vector key).</summary>
    public const string Recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    private WebApplication? _app;

    private WebHost(string dir, string data, string passFile, string token)
    {
        Dir = dir;
        Data = data;
        PassFile = passFile;
        Token = token;
    }

    public string Dir { get; }

    public string Data { get; }

    public string PassFile { get; }

    /// <summary>Bearer token of requester 'spd'.</summary>
    public string Token { get; }

    public Uri Intake { get; private set; } = null!;

    public Uri Console { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <param name="live">The recorder's live feed and stills, when a test plays the recorder's part.</param>
    public static async Task<WebHost> StartAsync(Action<WebOptions>? configure = null, TimeProvider? time = null, (ILiveFeed, ICameraStills)? live = null)
    {
        var dir = TestEnv.NewTempDir("hvweb");
        var pass = Path.Combine(dir, "pass");
        await File.WriteAllTextAsync(pass, Passphrase + "\n");
        var data = Path.Combine(dir, "data");
        var init = Homevault.Run("init", "--data", data, "--owner", "alice", "--passphrase-file", pass);
        Assert.True(init.Exit == 0, init.Stderr);
        var add = Homevault.Run("requesters", "add", "spd", "--recipient", Recipient, "--data", data);
        Assert.True(add.Exit == 0, add.Stderr);
        var host = new WebHost(dir, data, pass, Homevault.LastLine(add.Stdout));
        var options = new WebOptions { IntakeUrls = "http://127.0.0.1:0", ConsoleUrls = "http://127.0.0.1:0" };
        configure?.Invoke(options);
        await host.StartWebAsync(options, time, live);
        return host;
    }

    private async Task StartWebAsync(WebOptions options, TimeProvider? time, (ILiveFeed, ICameraStills)? live)
    {
        _app = HomeVaultWebApp.Build(options, Data, new ReleaseMedia(), new FootageExport(), time, live: live);
        await _app.StartAsync();
        var listeners = _app.Services.GetRequiredService<WebListeners>();
        Intake = listeners.Urls(Listener.Intake)[0];
        Console = listeners.Urls(Listener.Console)[0];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(Dir, recursive: true);
    }
}
