using System.Globalization;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// Export from the browser: a camera's window (local times from the timeline's form) joined into one MP4 by the host's
/// <see cref="IFootageExport"/>, the same export as `homevault clips export`, audited as it is, with the unlocked
/// session's identity. The MP4 is staged in a RAM-backed directory (the window is bounded for that reason) and sent as a download.
/// </summary>
internal static class FootageExportEndpoint
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(2);

    public static void Map(RouteGroupBuilder routes) => routes.MapPost("/export", ExportAsync);

    private static async Task<IResult> ExportAsync([FromForm] IFormCollection form, HttpContext context, WebCatalog catalog, WebOptions options)
    {
        var session = ConsoleEndpoints.Session(context);
        var camera = form["camera"].ToString();
        if (!LocalTime.TryParse(form["from"].ToString(), options.Zone(), out var from, out var fromProblem))
        {
            return Refuse(context, $"from: {fromProblem}");
        }
        if (!LocalTime.TryParse(form["to"].ToString(), options.Zone(), out var to, out var toProblem))
        {
            return Refuse(context, $"to: {toProblem}");
        }
        if (to <= from)
        {
            return Refuse(context, "to must be after from");
        }
        if (to - from > MaxWindow)
        {
            return Refuse(context, $"the window is longer than {MaxWindow.TotalHours:0} hours; export it in parts, or use homevault clips export");
        }
        bool known;
        IReadOnlyList<Clip> clips;
        using (var read = catalog.Read())
        {
            (known, clips) = (read.Cameras.ListNames().Contains(camera), read.Clips.Query(camera, from, to));
        }
        if (!known)
        {
            return Refuse(context, $"unknown camera '{camera}'");
        }
        if (clips.Count == 0)
        {
            return Refuse(context, $"no footage of camera '{camera}' between {LocalTime.Clock(from, options.Zone())} and {LocalTime.Clock(to, options.Zone())}");
        }
        catalog.Record(ExportAudit.Event(session.Owner, camera, from, to));
        var response = context.Response;
        response.ContentType = "video/mp4";
        response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture,
            $"attachment; filename=\"{camera}-{from.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{to.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.mp4\"");
        try
        {
            // The exporter writes nothing to the response until ffmpeg has made the whole MP4, so a failure can still be a page.
            await context.RequestServices.GetRequiredService<IFootageExport>()
                .ExportAsync(catalog.Data.Root, clips, from, to, [session.Identity], response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (UserError e) when (!response.HasStarted)
        {
            response.Headers.Remove("Content-Disposition");
            return Refuse(context, $"the export failed: {e.Message}");
        }
        return Results.Empty;
    }

    private static IResult Refuse(HttpContext context, string problem) =>
        Page(context, "Export", $"<p class=\"error\" id=\"error\">{E(problem)}</p><p><a href=\"/console/timeline\">back to the timeline</a></p>", ConsoleEndpoints.Session(context), StatusCodes.Status400BadRequest);
}
