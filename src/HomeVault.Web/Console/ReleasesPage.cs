using System.Text;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>Built releases (never their tokens): state, size, downloads, expiry, and revocation of an active one.</summary>
internal static class ReleasesPage
{
    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/releases", (string? done, HttpContext context, WebCatalog catalog) => Render(context, catalog, done, null));
        routes.MapPost("/releases/{id}/revoke", Revoke);
    }

    private static IResult Render(HttpContext context, WebCatalog catalog, string? done, string? error, int status = StatusCodes.Status200OK)
    {
        var releases = WebDisclosure.ListReleases(catalog);
        var body = new StringBuilder();
        if (error is not null)
        {
            body.Append($"<p class=\"error\" id=\"error\">{E(error)}</p>");
        }
        if (done is not null)
        {
            body.Append($"<p class=\"note\" id=\"done\">{E(done)}</p>");
        }
        body.Append("<table id=\"releases\"><tr><th>request</th><th>state</th><th>built</th><th>expires</th><th>clips</th><th>bytes</th><th>downloads</th><th></th></tr>");
        var csrf = Antiforgery(context);
        foreach (var r in releases)
        {
            body.Append($"<tr><td><a href=\"/console/requests/{E(r.RequestId)}\"><code>{E(r.RequestId)}</code></a></td><td>{E(r.State.ToString().ToLowerInvariant())}</td>")
                .Append($"<td>{E(Time(r.Built))}</td><td>{E(Time(r.Expires))}</td><td>{E(r.Clips)}</td><td>{E(Bytes(r.Bytes))}</td><td>{E(r.Downloads)}</td><td>");
            if (r.State == ReleaseState.Active)
            {
                body.Append($"""
                    <form method="post" action="/console/releases/{E(r.RequestId)}/revoke" class="revoke">{csrf}
                    <input type="text" name="reason" placeholder="reason" required>
                    <input type="password" name="passphrase" placeholder="your passphrase" required>
                    <button type="submit">Revoke</button></form>
                    """);
            }
            body.Append("</td></tr>");
        }
        body.Append("</table>");
        if (releases.Count == 0)
        {
            body.Append("<p>No release has been built.</p>");
        }
        return Page(context, "Releases", body.ToString(), ConsoleEndpoints.Session(context), status);
    }

    private static IResult Revoke(string id, [FromForm] IFormCollection form, HttpContext context, WebCatalog catalog)
    {
        var session = ConsoleEndpoints.Session(context);
        var refusal = WebDisclosure.Revoke(catalog, id, session.Owner, form["passphrase"].ToString(), form["reason"].ToString());
        return refusal is null
            ? Results.Redirect("/console/releases?done=" + Uri.EscapeDataString($"revoked {id}: its files are deleted and its link no longer works"))
            : Render(context, catalog, null, refusal, StatusCodes.Status400BadRequest);
    }
}
