using System.Globalization;
using System.Text;
using HomeVault.Core.Catalog;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// The day of one camera, or of every camera side by side, in the owners' time zone: footage, gaps with their cause
/// and an activity strip (each clip's bitrate), drawn and played by timeline.js. Without script the page still lists
/// each clip with a link to play it and each gap with its cause.
/// </summary>
internal static class TimelinePage
{
    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/cameras/{camera}", (string camera, string? day, HttpContext context, WebCatalog catalog, WebOptions options) =>
        {
            return CameraNames(catalog).Contains(camera)
                ? Render(context, catalog, options, [camera], day, camera)
                : Page(context, "No such camera", "<p class=\"error\">No camera by that name.</p>", ConsoleEndpoints.Session(context), StatusCodes.Status404NotFound);
        });
        routes.MapGet("/timeline", (string? day, HttpContext context, WebCatalog catalog, WebOptions options) =>
            Render(context, catalog, options, CameraNames(catalog), day, null));
    }

    private static IReadOnlyList<string> CameraNames(WebCatalog catalog)
    {
        using var read = catalog.Read();
        return read.Cameras.ListNames();
    }

    private static IResult Render(HttpContext context, WebCatalog catalog, WebOptions options, IReadOnlyList<string> cameras, string? day, string? single)
    {
        var zone = options.Zone();
        var now = catalog.Time.GetUtcNow();
        DateOnly date;
        if (day is null)
        {
            DateTimeOffset? newest = null;
            if (single is not null)
            {
                using var read = catalog.Read();
                newest = FootageSummary.Query(read.Connection).FirstOrDefault(f => f.Camera == single)?.Newest;
            }
            date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(newest ?? now, zone).DateTime);
        }
        else if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return Page(context, "Bad date", "<p class=\"error\">day must be YYYY-MM-DD.</p>", ConsoleEndpoints.Session(context), StatusCodes.Status400BadRequest);
        }
        var (from, to) = (LocalTime.StartOfDay(date, zone), LocalTime.StartOfDay(date.AddDays(1), zone));
        List<DayFootage> days;
        using (var read = catalog.Read())
        {
            days = [.. cameras.Select(c => DayFootage.Query(read.Connection, c, from, to, now))];
        }
        var self = single is null ? "/console/timeline" : $"/console/cameras/{Uri.EscapeDataString(single)}";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<div id=\"timeline\" data-zone=\"{E(zone.Id)}\" data-from=\"{from.ToUnixTimeMilliseconds()}\" data-to=\"{to.ToUnixTimeMilliseconds()}\">")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"daynav\"><a id=\"prev-day\" href=\"{E(self)}?day={date.AddDays(-1):yyyy-MM-dd}\">&larr; previous day</a> <strong>{date:yyyy-MM-dd}</strong> ({E(zone.Id)}) <a id=\"next-day\" href=\"{E(self)}?day={date.AddDays(1):yyyy-MM-dd}\">next day &rarr;</a>")
            .Append(single is null ? "" : $" &middot; <a id=\"all-cameras\" href=\"/console/timeline?day={date:yyyy-MM-dd}\">all cameras</a>")
            .Append("</p>")
            .Append("""
                <div class="controls" id="controls" hidden>
                <button type="button" id="prev-clip" title="previous clip (PageUp or ,)">&lsaquo; previous</button>
                <button type="button" id="back" title="10 s back (&larr;)">&minus;10 s</button>
                <button type="button" id="play" title="play or pause (space)">play / pause</button>
                <button type="button" id="forward" title="10 s on (&rarr;)">+10 s</button>
                <button type="button" id="next-clip" title="next clip (PageDown or .)">next &rsaquo;</button>
                <label>show <select id="zoom"><option value="1440">the day</option><option value="60">an hour</option><option value="10">10 minutes</option></select></label>
                <output id="moment"></output>
                </div>
                <p class="hint" id="hint" hidden>Click or drag on a strip to play from that moment; playback runs on across clips.
                Keys: space play/pause, &larr;/&rarr; 10 s, PageUp/PageDown (or , and .) previous/next clip, [ and ] mark an export window.</p>
                """)
            .Append(CultureInfo.InvariantCulture, $"<div class=\"cameras{(days.Count > 1 ? " grid" : "")}\">");
        foreach (var d in days)
        {
            CameraDay(body, d, zone, date);
        }
        body.Append("</div>");
        if (days.Count == 0)
        {
            body.Append("<p>No cameras have recorded yet.</p>");
        }
        ExportForm(body, context, cameras, single, date);
        body.Append("</div><script src=\"/console/timeline.js\"></script>");
        return Page(context, single is null ? $"All cameras, {date:yyyy-MM-dd}" : $"Camera {single}", body.ToString(), ConsoleEndpoints.Session(context));
    }

    private static void CameraDay(StringBuilder body, DayFootage d, TimeZoneInfo zone, DateOnly date)
    {
        body.Append(CultureInfo.InvariantCulture, $"<section class=\"camera\" data-camera=\"{E(d.Camera)}\">")
            .Append(CultureInfo.InvariantCulture, $"<h2><a href=\"/console/cameras/{E(Uri.EscapeDataString(d.Camera))}?day={date:yyyy-MM-dd}\">{E(d.Camera)}</a></h2>")
            .Append("<div class=\"strip\"><canvas></canvas><div class=\"selection\"></div><div class=\"cursor\"></div></div>")
            .Append("<div class=\"axis\"><span>00</span><span>06</span><span>12</span><span>18</span><span>24</span></div>")
            .Append("<output class=\"hover\">&nbsp;</output>")
            .Append("<video class=\"player\" controls preload=\"none\" playsinline></video>")
            .Append(CultureInfo.InvariantCulture, $"<details><summary>{d.Clips.Count} clips, {d.Gaps.Count} gaps</summary><ol class=\"clips\">");
        foreach (var c in d.Clips)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li data-id=\"{c.Id}\" data-start=\"{c.Start.ToUnixTimeMilliseconds()}\" data-end=\"{c.End.ToUnixTimeMilliseconds()}\" data-rate=\"{c.BytesPerSecond}\">")
                .Append(CultureInfo.InvariantCulture, $"<a class=\"play\" href=\"/console/clips/{c.Id}\" title=\"{E(Time(c.Start))} to {E(Time(c.End))}\">{E(LocalTime.Clock(c.Start, zone))} &ndash; {E(LocalTime.Clock(c.End, zone))}</a> {E(Bytes(c.Bytes))}</li>");
        }
        body.Append("</ol><ol class=\"gaps\">");
        foreach (var g in d.Gaps)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li data-start=\"{g.Start.ToUnixTimeMilliseconds()}\" data-end=\"{g.End.ToUnixTimeMilliseconds()}\" data-cause=\"{E(g.Cause)}\" title=\"{E(Time(g.Start))} to {E(Time(g.End))}\">")
                .Append(CultureInfo.InvariantCulture, $"no footage {E(LocalTime.Clock(g.Start, zone))} &ndash; {E(LocalTime.Clock(g.End, zone))}: {E(g.Cause)}</li>");
        }
        body.Append("</ol></details></section>");
    }

    private static void ExportForm(StringBuilder body, HttpContext context, IReadOnlyList<string> cameras, string? single, DateOnly date)
    {
        body.Append("<form method=\"post\" action=\"/console/export\" id=\"export\"><fieldset><legend>Export a window as one MP4</legend>")
            .Append(Antiforgery(context))
            .Append("<label>camera <select name=\"camera\" id=\"export-camera\">");
        foreach (var c in cameras)
        {
            body.Append(CultureInfo.InvariantCulture, $"<option{(c == single ? " selected" : "")}>{E(c)}</option>");
        }
        body.Append("</select></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>from <input type=\"datetime-local\" step=\"1\" name=\"from\" id=\"export-from\" required value=\"{date:yyyy-MM-dd}T00:00:00\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>to <input type=\"datetime-local\" step=\"1\" name=\"to\" id=\"export-to\" required value=\"{date:yyyy-MM-dd}T00:10:00\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<p>Local time; at most {FootageExportEndpoint.MaxWindow.TotalHours:0} hours. Joined at keyframes without re-encoding, decrypted in memory; the export is on the audit log.</p>")
            .Append("<button type=\"submit\" id=\"export-download\">Download MP4</button></fieldset></form>");
    }
}
