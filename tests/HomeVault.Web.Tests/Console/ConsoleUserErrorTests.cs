using System.Net;
using HomeVault.Core;
using HomeVault.Core.Keys;

namespace HomeVault.Web.Tests;

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
}
