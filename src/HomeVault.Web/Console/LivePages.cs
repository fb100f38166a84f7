using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Recorder;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// Live view: a grid of every camera and one camera alone, each a video fed over a WebSocket with the recorder's
/// fragments as they pass (Core's <see cref="ILiveFeed"/>; the script, live.js, hands them to Media Source
/// Extensions). Starting and stopping is audited; locking the session ends its streams at once. And the stills:
/// one JPEG per camera from its next keyframe (Core's <see cref="ICameraStills"/>), for an unlocked session only.
/// </summary>
internal static class LivePages
{
    /// <summary>WebSocket close codes live.js acts on: a locked console is final, a viewer that fell behind may rejoin.</summary>
    public const WebSocketCloseStatus LockedClose = (WebSocketCloseStatus)4003;

    public const WebSocketCloseStatus BehindClose = (WebSocketCloseStatus)4000;

    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    /// <summary>The live view's script, from the assembly (no secret in it: served before unlocking, like the stylesheet).</summary>
    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/live", Grid);
        routes.MapGet("/live/{camera}", One);
        routes.MapGet("/live/{camera}/socket", SocketAsync);
        routes.MapGet("/stills/{camera}", StillAsync);
    }

    private static IResult Grid(HttpContext context, WebCatalog catalog)
    {
        var status = RecorderStatus.Read(catalog.Data);
        var cameras = RecorderStatus.IsFresh(status, catalog.Time.GetUtcNow()) ? status!.Cameras.Select(c => c.Name).ToList() : [];
        var body = new StringBuilder("<p>Live from the recorder's memory, a few seconds behind the cameras; nothing is written to disk. Watching is on the audit log.</p>");
        body.Append("<div id=\"live-grid\" class=\"live-grid\">");
        foreach (var name in cameras)
        {
            body.Append(Video(name));
        }
        body.Append("</div>");
        if (cameras.Count == 0)
        {
            body.Append("<p class=\"warn\">No camera is recording.</p>");
        }
        return Page(context, "Live", body.Append(Script).ToString(), ConsoleEndpoints.Session(context));
    }

    private static IResult One(string camera, HttpContext context) =>
        Page(context, $"Live: {camera}", $"<p><a href=\"/console/live\">&larr; all cameras</a></p><div class=\"live-one\">{Video(camera)}</div>{Script}", ConsoleEndpoints.Session(context));

    /// <summary>The dashboard's pictures: each camera's still, a link to its live view.</summary>
    public static string Stills(IEnumerable<string> cameras)
    {
        var html = new StringBuilder("<div id=\"stills\" class=\"stills\">");
        foreach (var name in cameras)
        {
            var path = E(Uri.EscapeDataString(name));
            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"live\"><a href=\"/console/live/{path}\"><img src=\"/console/stills/{path}\" alt=\"{E(name)}\"></a><figcaption>{E(name)}</figcaption></figure>");
        }
        return html.Append("</div>").ToString();
    }

    private const string Script = "<script src=\"/console/live.js\"></script>";

    private static string Video(string camera) =>
        $"<figure class=\"live\"><video data-live=\"{E(camera)}\" muted autoplay playsinline></video><figcaption><a href=\"/console/live/{E(Uri.EscapeDataString(camera))}\">{E(camera)}</a> <span class=\"live-state\">connecting</span></figcaption></figure>";

    private static async Task SocketAsync(string camera, HttpContext context, WebCatalog catalog)
    {
        if (!context.WebSockets.IsWebSocketRequest || !SameOrigin(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var subscription = context.RequestServices.GetService<ILiveFeed>()?.Subscribe(camera);
        if (subscription is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound; // not recording now
            return;
        }
        var session = ConsoleEndpoints.Session(context);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var started = catalog.Time.GetUtcNow();
        Audit(catalog, session, AuditActions.LiveStarted, camera, []);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Locked);
        var closedByViewer = WatchForCloseAsync(socket, stop);
        string reason;
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(subscription.ContentType), WebSocketMessageType.Text, true, stop.Token).ConfigureAwait(false);
            await socket.SendAsync(subscription.Init, WebSocketMessageType.Binary, true, stop.Token).ConfigureAwait(false);
            await foreach (var fragment in subscription.Fragments.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(fragment, WebSocketMessageType.Binary, true, stop.Token).ConfigureAwait(false);
            }
            reason = subscription.Dropped ? "fell behind" : "camera stopped";
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            reason = session.Locked.IsCancellationRequested ? "console locked" : "closed by the viewer";
        }
        subscription.Dispose();
        await CloseAsync(socket, reason, subscription.Dropped).ConfigureAwait(false);
        try
        {
            await closedByViewer.WaitAsync(CloseWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            socket.Abort();
            await closedByViewer.ConfigureAwait(false);
        }
        var seconds = (long)(catalog.Time.GetUtcNow() - started).TotalSeconds;
        Audit(catalog, session, AuditActions.LiveStopped, camera, new() { ["reason"] = reason, ["seconds"] = seconds.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>
    /// The viewer sends nothing but its close; that (or a broken connection) stops the stream. Not cancelled from here:
    /// a cancelled receive would abort the socket before the close frame that tells live.js why it ended.
    /// </summary>
    private static async Task WatchForCloseAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[256];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
            // The connection broke.
        }
        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static async Task CloseAsync(WebSocket socket, string reason, bool behind)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return; // aborted by the cancellation: the connection is gone already
        }
        var code = behind ? BehindClose : reason == "camera stopped" ? WebSocketCloseStatus.NormalClosure : LockedClose;
        using var timeout = new CancellationTokenSource(CloseWait);
        try
        {
            await socket.CloseOutputAsync(code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The viewer is gone.
        }
    }

    /// <summary>A page of another site must not open a socket with the owner's cookie (the cookie is SameSite=Strict too).</summary>
    private static bool SameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin && Uri.TryCreate(origin, UriKind.Absolute, out var o)
        && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static void Audit(WebCatalog catalog, ConsoleSession session, string action, string camera, Dictionary<string, string> details)
    {
        details["via"] = "console";
        catalog.Record(new AuditEvent(session.Owner, action, "camera/" + camera, details));
    }

    private static async Task<IResult> StillAsync(string camera, HttpContext context)
    {
        byte[]? jpeg = null;
        try
        {
            if (context.RequestServices.GetService<ICameraStills>() is { } stills)
            {
                jpeg = await stills.StillAsync(camera, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException)
        {
            // ffmpeg could not decode this keyframe; the dashboard shows the camera's name instead.
        }
        return jpeg is null ? Results.NotFound() : Results.Bytes(jpeg, "image/jpeg");
    }
}
