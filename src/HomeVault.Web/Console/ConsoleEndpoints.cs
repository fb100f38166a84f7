using HomeVault.Core;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HomeVault.Web.Console;

/// <summary>
/// The owners' console, on the console listener only. Everything but the login page and the stylesheet needs an
/// unlocked session; every POST carries an antiforgery token; every answer carries a strict CSP and no-store.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string SessionItem = "homevault.console.session";

    public static void AddServices(IServiceCollection services, WebOptions options)
    {
        services.AddSingleton<ConsoleSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleSessions>());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "hv_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "_csrf";
        });
    }

    /// <summary>
    /// The console's headers, and its one handler of a <see cref="UserError"/> from any page: a 400 page with the
    /// error's own line, as the CLI prints it (anything else is a bug and stays a 500).
    /// </summary>
    public static void UseMiddleware(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (ListenerGate.Of(context) != Listener.Console)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        SecurityHeaders(context.Response.Headers);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (UserError ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            SecurityHeaders(context.Response.Headers);
            var body = $"<p class=\"error\" id=\"error\">{Html.E(ex.Message)}</p>";
            await Html.Page(context, "Cannot do that", body, context.Items[SessionItem] as ConsoleSession, StatusCodes.Status400BadRequest)
                .ExecuteAsync(context).ConfigureAwait(false);
        }
    });

    private static void SecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = Html.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    public static void Map(IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("").OnListener(Listener.Console);
        open.MapGet("/", () => Results.Redirect("/console"));
        open.MapGet("/console/app.css", () => Results.Text(Html.Css, "text/css; charset=utf-8"));
        open.MapGet("/console/timeline.js", () => Results.Text(Scripts.Timeline, "text/javascript; charset=utf-8"));
        open.MapGet("/console/live.js", () => Results.Text(Scripts.Live, "text/javascript; charset=utf-8"));
        LoginPages.Map(open);

        var owner = routes.MapGroup("/console").OnListener(Listener.Console).AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var session = context.RequestServices.GetRequiredService<ConsoleSessions>().Current(context);
            if (session is null)
            {
                return HttpMethods.IsGet(context.Request.Method)
                    ? Results.Redirect("/console/login")
                    : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "the console is locked");
            }
            context.Items[SessionItem] = session;
            return await next(invocation).ConfigureAwait(false);
        });
        DashboardPage.Map(owner);
        CameraPages.Map(owner);
        TimelinePage.Map(owner);
        FootageExportEndpoint.Map(owner);
        RequestPages.Map(owner);
        ReleasesPage.Map(owner);
        AuditPage.Map(owner);
        ReportPage.Map(owner);
        LivePages.Map(owner);
    }

    /// <summary>The session the filter found (only inside the owner group).</summary>
    public static ConsoleSession Session(HttpContext context) => (ConsoleSession)context.Items[SessionItem]!;
}
