using System.Globalization;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// A camera's day (which hours have footage, each clip) and playback: the clip is decrypted with the session's
/// identity as it is sent, straight from the sealed file into the response; plaintext never touches the disk.
/// </summary>
internal static class CameraPages
{
    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/cameras/{camera}", Timeline);
        routes.MapGet("/clips/{id:long}", Player);
        routes.MapGet("/clips/{id:long}/media", ClipMedia.ServeAsync);
    }

    private static IResult Timeline(string camera, string? day, HttpContext context, WebCatalog catalog)
    {
        var summary = catalog.Use((db, _) => FootageSummary.Query(db)).FirstOrDefault(f => f.Camera == camera);
        if (summary is null)
        {
            return Page(context, "No such camera", "<p class=\"error\">No camera by that name.</p>", ConsoleEndpoints.Session(context), StatusCodes.Status404NotFound);
        }
        DateOnly date;
        if (day is not null)
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                return Page(context, "Bad date", "<p class=\"error\">day must be YYYY-MM-DD.</p>", ConsoleEndpoints.Session(context), StatusCodes.Status400BadRequest);
            }
        }
        else
        {
            date = DateOnly.FromDateTime((summary.Newest ?? catalog.Time.GetUtcNow()).UtcDateTime);
        }
        var from = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var clips = catalog.Use((db, _) => new ClipRepository(db).Query(camera, from, from.AddDays(1)));
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p><a href=\"?day={date.AddDays(-1):yyyy-MM-dd}\">&larr; previous day</a> | <strong>{date:yyyy-MM-dd} (UTC)</strong> | <a href=\"?day={date.AddDays(1):yyyy-MM-dd}\">next day &rarr;</a></p>");
        body.Append("<table id=\"hours\"><tr>");
        for (var h = 0; h < 24; h++)
        {
            var hourStart = from.AddHours(h);
            var has = clips.Any(c => c.End > hourStart && c.Start < hourStart.AddHours(1));
            body.Append(CultureInfo.InvariantCulture, $"<td class=\"{(has ? "ok" : "warn")}\">{h:00}{(has ? " &#9679;" : "")}</td>");
        }
        body.Append("</tr></table><table id=\"clips\"><tr><th>start</th><th>end</th><th>bytes</th><th>state</th><th></th></tr>");
        foreach (var c in clips)
        {
            body.Append($"<tr><td>{E(Time(c.Start))}</td><td>{E(Time(c.End))}</td><td>{E(Bytes(c.CiphertextBytes))}</td><td>{E(c.State.ToString().ToLowerInvariant())}</td>")
                .Append($"<td><a class=\"play\" href=\"/console/clips/{E(c.Id)}\">play</a></td></tr>");
        }
        body.Append("</table>");
        if (clips.Count == 0)
        {
            body.Append("<p>No footage on this day.</p>");
        }
        return Page(context, $"Camera {camera}", body.ToString(), ConsoleEndpoints.Session(context));
    }

    private static IResult Player(long id, HttpContext context, WebCatalog catalog)
    {
        var clip = catalog.Use((db, _) => FootageSummary.FindSealedClip(db, id));
        if (clip is not { } c)
        {
            return Page(context, "No such clip", "<p class=\"error\">No sealed clip with that id.</p>", ConsoleEndpoints.Session(context), StatusCodes.Status404NotFound);
        }
        var body = $"""
            <p><a href="/console/cameras/{E(c.Camera)}?day={c.Start.UtcDateTime:yyyy-MM-dd}">&larr; {E(c.Camera)}</a>, {E(Time(c.Start))} to {E(Time(c.End))}</p>
            <video id="player" controls preload="auto" src="/console/clips/{E(id)}/media"></video>
            <p>Decrypted in memory with your identity while the console is unlocked; viewing is on the audit log.</p>
            """;
        return Page(context, $"Clip {id}", body, ConsoleEndpoints.Session(context));
    }
}
