using System.Globalization;
using System.Text;
using HomeVault.Core.Recorder;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Http;

namespace HomeVault.Web.Operations;

/// <summary>
/// `GET /healthz` on the console listener, for a monitor: 200 <c>ok</c> only while the recorder publishes fresh status
/// and every configured camera is recording; otherwise 503 with one line saying what is wrong, then one line per camera
/// that is not recording, with its state and last error. A recorder configured with no cameras is healthy as
/// configured: 200 <c>ok: no cameras configured</c>, since restarting it would not change that. Read from the same
/// status/cameras.json as the dashboard and `homevault cameras status`.
/// </summary>
internal static class HealthAnswer
{
    public static IResult Answer(WebCatalog catalog)
    {
        var now = catalog.Time.GetUtcNow();
        var status = RecorderStatus.Read(catalog.Data);
        if (!RecorderStatus.IsFresh(status, now))
        {
            return Unhealthy(status is null
                ? "recorder not running: it publishes no status\n"
                : string.Create(CultureInfo.InvariantCulture, $"recorder not running: its last status is {(now - status.Written).TotalSeconds:0} s old\n"));
        }
        return FromCameras(status!, now);
    }

    private static IResult FromCameras(CameraStatusFile status, DateTimeOffset now)
    {
        if (status.Cameras.Count == 0)
        {
            return Results.Text("ok: no cameras configured\n", "text/plain; charset=utf-8");
        }
        var down = status.Cameras.Where(c => c.State != CameraState.Recording).ToList();
        if (down.Count == 0)
        {
            return Results.Text("ok\n", "text/plain; charset=utf-8");
        }
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"{down.Count} of {status.Cameras.Count} cameras not recording\n");
        foreach (var c in down)
        {
            body.Append(CultureInfo.InvariantCulture, $"{c.Name}: {c.State.ToString().ToLowerInvariant()}");
            if (c.LastError is { Length: > 0 } error)
            {
                body.Append(": ").Append(OneLine(error));
            }
            if (c.NextAttemptAt is { } next && next > now)
            {
                body.Append(CultureInfo.InvariantCulture, $" (next attempt in {(next - now).TotalSeconds:0} s)");
            }
            body.Append('\n');
        }
        return Unhealthy(body.ToString());
    }

    private static IResult Unhealthy(string text) => Results.Text(text, "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>An ffmpeg message may span lines or carry control characters; a monitor reads one line per camera.</summary>
    private static string OneLine(string text) => string.Concat(text.Select(ch => char.IsControl(ch) ? ' ' : ch)).Trim();
}
