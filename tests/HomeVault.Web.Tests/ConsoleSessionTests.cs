using System.Net;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Tests;

namespace HomeVault.Web.Tests;

/// <summary>Unlock, lock, idle auto-lock and antiforgery on the console, over real HTTP.</summary>
public sealed class ConsoleSessionTests
{
    [Fact]
    public async Task Nothing_is_shown_before_unlock()
    {
        await using var host = await WebHost.StartAsync();
        using var client = new ConsoleClient(host.Console);
        foreach (var path in new[] { "/console", "/console/requests", "/console/audit", "/console/releases", "/console/cameras/front", "/console/clips/1/media" })
        {
            using var response = await client.Get(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/console/login", response.Headers.Location?.ToString());
        }
    }

    [Fact]
    public async Task The_passphrase_unlocks_a_strict_cookie_session_and_lock_ends_it()
    {
        await using var host = await WebHost.StartAsync();
        using var client = new ConsoleClient(host.Console);
        using var unlocked = await client.Unlock();
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        var cookie = unlocked.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hv_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var dashboard = await client.Get("/console");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("default-src 'none'", dashboard.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("unlocked as alice", await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var locked = await client.Post("/console", "/console/lock", []);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        using var after = await client.Get("/console");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains(AuditActions(host), a => a == (Core.Audit.AuditActions.ConsoleLocked, "lock"));
    }

    [Fact]
    public async Task A_wrong_passphrase_is_401_and_unlocks_nothing()
    {
        await using var host = await WebHost.StartAsync();
        using var client = new ConsoleClient(host.Console);
        using var response = await client.Unlock("wrong passphrase");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("wrong passphrase", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var dashboard = await client.Get("/console");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task An_idle_console_locks_itself()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await WebHost.StartAsync(o => o.ConsoleIdleMinutes = 5, time);
        using var client = new ConsoleClient(host.Console);
        using (var unlocked = await client.Unlock())
        {
            Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        }
        time.Advance(TimeSpan.FromMinutes(4));
        using (var stillOpen = await client.Get("/console"))
        {
            Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
        }
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var idle = await client.Get("/console");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.Contains(AuditActions(host), a => a == (Core.Audit.AuditActions.ConsoleLocked, "idle"));
    }

    [Fact]
    public async Task Console_posts_without_the_antiforgery_token_are_refused()
    {
        await using var host = await WebHost.StartAsync();
        using var client = new ConsoleClient(host.Console);
        using var login = await client.Post("/console/login", "/console/login", [new("owner", "alice"), new("passphrase", WebHost.Passphrase)], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        using var stillLocked = await client.Get("/console");
        Assert.Equal(HttpStatusCode.Redirect, stillLocked.StatusCode);

        using var unlocked = await client.Unlock();
        using var lockWithoutToken = await client.Post("/console", "/console/lock", [], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, lockWithoutToken.StatusCode);
        using var stillOpen = await client.Get("/console");
        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
    }

    private static List<(string Action, string? Reason)> AuditActions(WebHost host)
    {
        var data = new DataDirectory(host.Data);
        using var db = CatalogDatabase.Open(data.CatalogPath);
        using var audit = InstallationAudit.Open(data, db);
        return audit.Log.GetEntries(0, (int)audit.Log.Size()).Select(e => (e.Event.Action, e.Event.Details.GetValueOrDefault("reason"))).ToList();
    }
}
