using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HomeVault.Web.Operations;

namespace HomeVault.Web.Tests;

/// <summary>Webhooks reach a real HTTP receiver, carry no requester details or secrets, and a dead one blocks nothing.</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task A_new_request_posts_its_id_and_nothing_about_the_requester()
    {
        var port = FreePort();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        receiver.Start();
        var deadPort = FreePort();
        await using var host = await WebHost.StartAsync(o =>
        {
            o.Webhooks.Add($"http://127.0.0.1:{deadPort}/nobody-listens");
            o.Webhooks.Add($"http://127.0.0.1:{port}/hook/");
        });
        using var client = Requests.Client(host.Intake, host.Token);
        using var created = await Requests.Submit(client, Requests.Json());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetString()!;

        var context = await receiver.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        }
        context.Response.StatusCode = 204;
        context.Response.Close();

        Assert.Equal("POST", context.Request.HttpMethod);
        using var payload = JsonDocument.Parse(body);
        Assert.Equal("request.received", payload.RootElement.GetProperty("event").GetString());
        Assert.Equal(id, payload.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("search-warrant", payload.RootElement.GetProperty("detail").GetString());
        foreach (var secret in new[] { host.Token, WebHost.Recipient, "Springfield", "records@", "SW-2026-0142" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("https://user:s3cret@ntfy.example/topic?auth=tok", "https://ntfy.example")]
    [InlineData("http://hooks.example:8080/path/s3cret", "http://hooks.example:8080")]
    public void A_failed_delivery_logs_only_scheme_host_and_port(string url, string logged)
    {
        var target = Webhooks.LogTarget(url);
        Assert.Equal(logged, target);
        Assert.DoesNotContain("s3cret", target, StringComparison.Ordinal);
    }
}
