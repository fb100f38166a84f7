using System.Text;
using HomeVault.Core.Disclosure.Reports;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HomeVault.Web.Console;

/// <summary>
/// The transparency report (Core's HTML rendering, the same as `homevault report --format html`) over all requests up
/// to now, ending with the signed checkpoint it was computed from; generating it is audited, as at the CLI.
/// </summary>
internal static class ReportPage
{
    // The report is a standalone document styled inline (it is meant to be published as one file); it still has no
    // script and loads nothing, so only this response allows inline styles.
    private const string ReportPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static void Map(RouteGroupBuilder routes) => routes.MapGet("/report", Render);

    private static IResult Render(HttpContext context, WebCatalog catalog)
    {
        var owner = ConsoleEndpoints.Session(context).Owner;
        byte[] html;
        using (var work = catalog.Write())
        {
            var report = TransparencyReport.Compute(work, null, catalog.Time.GetUtcNow(), catalog.Time);
            // The console's copy carries a way back; the audit entry hashes exactly these bytes, as handed out.
            html = Encoding.UTF8.GetBytes(WithNavigation(report.ToHtml()));
            work.Append(report.GeneratedEvent(owner, "html", html));
            work.Commit();
        }
        context.Response.Headers.ContentSecurityPolicy = ReportPolicy;
        return Results.Bytes(html, "text/html; charset=utf-8");
    }

    private const string Navigation =
        "<nav id=\"console-nav\"><a href=\"/console\">Dashboard</a> &middot; <a href=\"/console/requests\">Requests</a> &middot; <a href=\"/console/audit\">Audit log</a></nav>";

    private static string WithNavigation(string html)
    {
        var body = html.IndexOf("<body>", StringComparison.Ordinal);
        return body < 0 ? Navigation + html : html.Insert(body + "<body>".Length, Navigation);
    }
}
