using System.Text;
using HomeVault.Core.Warrants;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// What the owners have approved for release and how each stands. Built releases, their download links and revocation
/// come from the disclosure service once it is on main; until then this lists the approved scopes.
/// </summary>
internal static class ReleasesPage
{
    public static void Map(RouteGroupBuilder routes) => routes.MapGet("/releases", Render);

    private static IResult Render(HttpContext context, WebCatalog catalog)
    {
        var approved = catalog.Use((db, _) => new RequestRepository(db).List())
            .Where(q => q.Approved is not null).ToList();
        var body = new StringBuilder("<table id=\"releases\"><tr><th>request</th><th>state</th><th>requester</th><th>approved scope</th><th>audio</th><th>expires</th></tr>");
        foreach (var q in approved)
        {
            var a = q.Approved!;
            body.Append($"<tr><td><a href=\"/console/requests/{E(q.Id)}\"><code>{E(q.Id)}</code></a></td><td>{E(q.State.ToDb())}</td><td>{E(q.Request.Requester.Organization)}</td>")
                .Append($"<td>{E(string.Join(", ", a.Cameras))}: {E(WireTime.Format(a.From))} to {E(WireTime.Format(a.To))}</td><td>{(a.StripAudio ? "stripped" : "kept")}</td><td>{E(WireTime.Format(a.ReleaseExpires))}</td></tr>");
        }
        body.Append("</table>");
        if (approved.Count == 0)
        {
            body.Append("<p>Nothing has been approved for release.</p>");
        }
        return Page(context, "Releases", body.ToString(), ConsoleEndpoints.Session(context));
    }
}
