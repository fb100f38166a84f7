using System.Net;
using System.Text.RegularExpressions;

namespace HomeVault.Web.Tests;

/// <summary>The inbox is a page of 50 requests, newest first, however many there are.</summary>
public sealed partial class ConsoleInboxTests
{
    [Fact]
    public async Task The_inbox_pages_by_fifty_newest_first()
    {
        await using var host = await WebHost.StartAsync(o => o.IntakePermitsPerMinute = 1000);
        var ids = new List<string>();
        using (var intake = Requests.Client(host.Intake, host.Token))
        {
            for (var i = 0; i < 53; i++)
            {
                ids.Add(await Requests.Create(intake, Requests.Json(cameras: "\"front\"").Replace("SW-2026-0142", $"SW-{i:0000}", StringComparison.Ordinal)));
            }
        }
        using var client = new ConsoleClient(host.Console);
        using (var unlocked = await client.Unlock())
        {
            Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        }

        var first = await Page(client, "/console/requests");
        Assert.Equal(50, first.Count);
        var second = await Page(client, "/console/requests?page=2");
        Assert.Equal(3, second.Count);
        // Every request once, across the two pages, and the newest on the first.
        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Concat(second).Order(StringComparer.Ordinal));
        Assert.Contains(ids[^1], first);
        Assert.Contains(ids[0], second);
        using var page1 = await client.Get("/console/requests");
        var html = await page1.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Page 1 of 2 (53 requests)", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/requests?page=2\"", html, StringComparison.Ordinal);
    }

    private static async Task<List<string>> Page(ConsoleClient client, string path)
    {
        using var response = await client.Get(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return [.. RequestLink().Matches(html).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("href=\"/console/requests/(req_[a-z0-9]+)\"")]
    private static partial Regex RequestLink();
}
