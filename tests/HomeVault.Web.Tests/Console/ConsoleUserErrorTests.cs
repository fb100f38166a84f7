using System.Net;
using HomeVault.Core;
using HomeVault.Core.Keys;

namespace HomeVault.Web.Tests.Console;

/// <summary>The console reports a failure the user can fix as the CLI does: by its own one-line message.</summary>
public sealed class ConsoleUserErrorTests
{
    [Fact]
    public async Task A_damaged_key_file_is_reported_as_damaged_not_as_a_wrong_passphrase()
    {
        await using var host = await WebHost.StartAsync();
        var identity = new DataDirectory(host.Data).OwnerIdentityPath("alice");
        var bytes = await File.ReadAllBytesAsync(identity, TestContext.Current.CancellationToken);
        // Damage the body (the header still names a scrypt stanza, so the passphrase is tried and the payload fails).
        bytes[^5] ^= 0xff;
        await File.WriteAllBytesAsync(identity, bytes, TestContext.Current.CancellationToken);
        using var client = new ConsoleClient(host.Console);

        using var response = await client.Unlock();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var expected = Assert.Throws<KeyStoreException>(() => new OwnerKeyStore(new DataDirectory(host.Data)).UnlockIdentity("alice", WebHost.Passphrase)).Message;
        Assert.Contains("is damaged", expected, StringComparison.Ordinal);
        Assert.Contains(expected, page, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong passphrase", page, StringComparison.Ordinal);
        using var dashboard = await client.Get("/console");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task A_user_error_on_a_page_without_its_own_handling_is_a_400_page_with_the_line_the_cli_prints()
    {
        await using var host = await WebHost.StartAsync();
        using var client = await Unlocked(host);
        // A key file others may read: the audit page's full verification opens the key afresh and refuses it.
        var key = new DataDirectory(host.Data).AuditKeyPath;
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var expected = $"audit key {key} is accessible to other users (mode must be 0600)";

        using var response = await client.Get("/console/audit?verify=true");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), "no CSP on the error page");
        Assert.StartsWith("default-src 'none'", Assert.Single(csp), StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"<p class=\"error\" id=\"error\">{expected}</p>", page, StringComparison.Ordinal);
        Assert.Contains("unlocked as alice", page, StringComparison.Ordinal);

        var cli = Homevault.Run("audit", "verify", "--data", host.Data);
        Assert.Equal(1, cli.Exit);
        Assert.Equal($"homevault: {expected}", cli.Stderr.Trim());
    }

    [Fact]
    public async Task The_release_list_reports_a_failure_instead_of_showing_no_releases()
    {
        await using var host = await WebHost.StartAsync();
        using var client = await Unlocked(host);
        // The service's own connection stays on the moved file; the release list opens the catalog by its path.
        var catalog = new DataDirectory(host.Data).CatalogPath;
        File.Move(catalog, catalog + ".moved");

        using var response = await client.Get("/console/releases");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"catalog not found at {catalog} (run 'homevault init' first)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No release has been built", page, StringComparison.Ordinal);
    }

    private static async Task<ConsoleClient> Unlocked(WebHost host)
    {
        var client = new ConsoleClient(host.Console);
        using var unlocked = await client.Unlock();
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        return client;
    }
}
