using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Keys;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>Unlock (the owner's passphrase opens their identity into memory) and lock.</summary>
internal static class LoginPages
{
    public const string RateLimitPolicy = "console-login";
    public const int AttemptsPerMinute = 10;

    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/console/login", (HttpContext context, WebCatalog catalog) => Form(context, catalog, null));
        routes.MapPost("/console/login", Unlock).RequireRateLimiting(RateLimitPolicy);
        routes.MapPost("/console/lock", ([FromForm] IFormCollection form, HttpContext context, ConsoleSessions sessions) =>
        {
            sessions.Lock(context);
            context.Response.Cookies.Delete(ConsoleSessions.CookieName);
            return Results.Redirect("/console/login");
        });
    }

    private static IResult Form(HttpContext context, WebCatalog catalog, string? error, int status = StatusCodes.Status200OK)
    {
        IReadOnlyList<Owner> owners;
        using (var read = catalog.Read())
        {
            owners = read.Owners.List();
        }
        var options = string.Concat(owners.Select(o => $"<option value=\"{E(o.Name)}\">{E(o.Name)}</option>"));
        var body = $"""
            {(error is null ? "" : $"<p class=\"error\" id=\"error\">{E(error)}</p>")}
            <p>The console shows nothing until an owner unlocks it. Unlocking opens your identity in this service's
            memory only; it locks itself after idle minutes, or when you press Lock.</p>
            <form method="post" action="/console/login">{Antiforgery(context)}
            <label>Owner <select name="owner" id="owner">{options}</select></label>
            <label>Passphrase <input type="password" name="passphrase" id="passphrase" autocomplete="current-password" required></label>
            <button type="submit" id="unlock">Unlock</button></form>
            """;
        return Page(context, "Unlock the console", body, null, status);
    }

    private static IResult Unlock([FromForm] IFormCollection form, HttpContext context, WebCatalog catalog, ConsoleSessions sessions)
    {
        var owner = form["owner"].ToString();
        var passphrase = form["passphrase"].ToString();
        bool known;
        using (var read = catalog.Read())
        {
            known = read.Owners.List().Any(o => o.Name == owner);
        }
        if (!known)
        {
            return Form(context, catalog, "unknown owner", StatusCodes.Status401Unauthorized);
        }
        ConsoleSession session;
        try
        {
            var identity = new OwnerKeyStore(catalog.Data).UnlockIdentity(owner, passphrase);
            session = new ConsoleSession(owner, identity, catalog.Time.GetUtcNow());
        }
        catch (KeyStoreException ex)
        {
            using (var work = catalog.Write())
            {
                work.Append(new AuditEvent("console", AuditActions.VaultUnlockFailed, "owner/" + owner, new Dictionary<string, string> { ["via"] = "console" }));
                work.Commit();
            }
            return Form(context, catalog, ex.Message, StatusCodes.Status401Unauthorized);
        }
        catalog.Record(new AuditEvent(owner, AuditActions.VaultUnlocked, "owner/" + owner, new Dictionary<string, string> { ["via"] = "console" }));
        var cookie = sessions.Open(session);
        context.Response.Cookies.Append(ConsoleSessions.CookieName, cookie, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        return Results.Redirect("/console");
    }
}
