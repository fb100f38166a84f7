using System.Net.Http.Json;
using System.Threading.Channels;
using HomeVault.Web.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeVault.Web.Operations;

/// <summary>
/// Optional notifications: a JSON POST to each configured URL on a new request, a release about to expire, a
/// camera fault, or the replica falling behind and catching up. Payloads carry ids, kinds and camera names only: never footage, requester details or secrets.
/// Delivery runs in the background from a bounded queue; a failure is logged and never blocks the caller.
/// </summary>
public sealed partial class Webhooks(WebOptions options, TimeProvider time, ILogger<Webhooks> log) : BackgroundService
{
    private readonly Channel<WebhookEvent> _queue = Channel.CreateBounded<WebhookEvent>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void RequestReceived(string requestId, string legalBasis) =>
        Post(new WebhookEvent("request.received", time.GetUtcNow(), requestId, null, legalBasis));

    public void CameraFault(string camera, string state) =>
        Post(new WebhookEvent("camera.fault", time.GetUtcNow(), null, camera, state));

    public void ReleaseExpiring(string requestId, DateTimeOffset expires) =>
        Post(new WebhookEvent("release.expiring", time.GetUtcNow(), requestId, null, expires.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));

    public void ReplicaLagging(double seconds, int clips, long bytes) =>
        Post(new WebhookEvent("replica.lagging", time.GetUtcNow(), null, null,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds:0.#} s behind: {clips} clip(s), {bytes} bytes not yet replicated")));

    public void ReplicaCaughtUp(double seconds) =>
        Post(new WebhookEvent("replica.caught_up", time.GetUtcNow(), null, null,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds:0.#} s behind")));

    private void Post(WebhookEvent e)
    {
        if (options.Webhooks.Count > 0)
        {
            _queue.Writer.TryWrite(e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await foreach (var e in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var url in options.Webhooks)
            {
                try
                {
                    using var response = await http.PostAsJsonAsync(url, e, WebJson.Default.WebhookEvent, stoppingToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        LogFailed(log, e.Event, LogTarget(url), $"HTTP {(int)response.StatusCode}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(log, e.Event, LogTarget(url), ex.GetType().Name);
                }
            }
        }
    }

    /// <summary>
    /// Scheme, host and port only: the path, query and any <c>user:password@</c> may hold the receiver's secret
    /// (GetLeftPart(Authority) would keep the user info).
    /// </summary>
    internal static string LogTarget(string url) => new Uri(url).GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook {Event} to {Target} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string @event, string target, string error);
}

/// <summary>What a webhook receives.</summary>
public sealed record WebhookEvent(string Event, DateTimeOffset Time, string? RequestId, string? Camera, string? Detail);
