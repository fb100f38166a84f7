using System.Net;
using System.Text;

namespace HomeVault.Web.Tests;

/// <summary>The console never answers on the intake listener, and the intake never on the console's.</summary>
public sealed class ListenerSeparationTests(SharedWebHost shared) : IClassFixture<SharedWebHost>
{
    [Theory]
    [InlineData("/console")]
    [InlineData("/console/login")]
    [InlineData("/console/app.css")]
    [InlineData("/console/requests")]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    [InlineData("/")]
    public async Task Console_paths_are_404_on_the_intake_listener(string path)
    {
        var host = shared.Host;
        using var intake = Requests.Client(host.Intake, host.Token);
        using var onIntake = await intake.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, onIntake.StatusCode);
        using var console = new ConsoleClient(host.Console);
        using var onConsole = await console.Get(path);
        Assert.NotEqual(HttpStatusCode.NotFound, onConsole.StatusCode);
    }

    [Fact]
    public async Task The_intake_is_404_on_the_console_listener_even_with_a_valid_token()
    {
        var host = shared.Host;
        using var console = Requests.Client(host.Console, host.Token);
        using var response = await Requests.Submit(console, Requests.Json());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var intake = Requests.Client(host.Intake, host.Token);
        using var ok = await Requests.Submit(intake, Requests.Json());
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_on_the_console_listener()
    {
        var host = shared.Host;
        using (var intake = Requests.Client(host.Intake, host.Token))
        {
            using var created = await Requests.Submit(intake, Requests.Json());
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using var console = new ConsoleClient(host.Console);
        using var response = await console.Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Contains("# TYPE homevault_requests gauge", text);
        Assert.Matches("homevault_requests\\{state=\"pending\"\\} [1-9]", text);
        Assert.Contains("homevault_cameras_up 0", text);
    }
}
