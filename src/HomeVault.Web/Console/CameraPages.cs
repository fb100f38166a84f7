using System.Globalization;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// One clip's player page and its media (<see cref="ClipMedia"/>): the clip is decrypted with the session's identity
/// as it is sent, straight from the sealed file into the response; plaintext never touches the disk.
/// </summary>
internal static class CameraPages
{
    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/clips/{id:long}", Player);
        routes.MapGet("/clips/{id:long}/media", ClipMedia.ServeAsync);
    }

    private static IResult Player(long id, HttpContext context, WebCatalog catalog, WebOptions options)
    {
        if (FootageSummary.FindSealedClip(catalog, id) is not { } c)
        {
            return Page(context, "No such clip", "<p class=\"error\">No sealed clip with that id.</p>", ConsoleEndpoints.Session(context), StatusCodes.Status404NotFound);
        }
        var body = $"""
            <p><a href="/console/cameras/{E(c.Camera)}?day={TimeZoneInfo.ConvertTime(c.Start, options.Zone()):yyyy-MM-dd}">&larr; {E(c.Camera)}</a>, {E(Time(c.Start))} to {E(Time(c.End))}</p>
            <video id="player" controls preload="auto" src="/console/clips/{E(id)}/media"></video>
            <p>Decrypted in memory with your identity while the console is unlocked; viewing is on the audit log.</p>
            """;
        return Page(context, $"Clip {id}", body, ConsoleEndpoints.Session(context));
    }
}
