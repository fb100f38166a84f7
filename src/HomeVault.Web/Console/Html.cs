using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HomeVault.Web.Console;

/// <summary>
/// Server-rendered console pages. Every value from outside (request fields, camera names, audit details) goes
/// through <see cref="E"/>; pages carry no inline script and no external asset (scripts only from the console itself: the timeline and the live view), so the strict CSP holds.
/// </summary>
internal static class Html
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; media-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string E(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>The hidden antiforgery field every console form carries.</summary>
    public static string Antiforgery(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    public static IResult Page(HttpContext context, string title, string body, ConsoleSession? session, int status = StatusCodes.Status200OK)
    {
        var nav = new StringBuilder();
        if (session is not null)
        {
            nav.Append("<nav><a href=\"/console\">Dashboard</a> <a href=\"/console/timeline\">Timeline</a> <a href=\"/console/live\">Live</a> <a href=\"/console/requests\">Requests</a> <a href=\"/console/releases\">Releases</a> <a href=\"/console/audit\">Audit log</a> <a href=\"/console/report\">Transparency report</a> ");
            nav.Append(CultureInfo.InvariantCulture, $"<span class=\"who\">unlocked as {E(session.Owner)}</span> ");
            nav.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/console/lock\" class=\"inline\">{Antiforgery(context)}<button id=\"lock\" type=\"submit\">Lock</button></form></nav>");
        }
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{E(title)} - HomeVault</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="stylesheet" href="/console/app.css"></head>
            <body><header><strong>HomeVault</strong> {nav}</header><main><h1>{E(title)}</h1>
            {body}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>
    /// The list tables that become one card per row on a phone, by id, with the label each cell shows there (the
    /// column headers, which the narrow layout hides). Pages stay plain tables; only the stylesheet knows.
    /// </summary>
    private static readonly (string Table, string[] Labels)[] CardTables =
    [
        ("cameras", ["camera", "state", "last fragment", "recorded since start", "clips sealed", "runs", "no footage since", "last error"]),
        ("storage", ["camera", "clips kept", "sealed bytes", "oldest footage", "newest footage"]),
        ("clips", ["start", "end", "bytes", "state", ""]),
        ("requests", ["received", "state", "requester", "legal basis", "cameras", "window"]),
        ("preview", ["camera", "clips", "minutes", "bytes", "gaps"]),
        ("history", ["time", "from", "to", "owner", "reason"]),
        ("releases", ["request", "state", "built", "expires", "clips", "bytes", "downloads", ""]),
        ("entries", ["#", "time", "actor", "action", "subject", "details"]),
    ];

    /// <summary>The stylesheet: <see cref="BaseCss"/> and, under 640 px, the card layout of <see cref="CardTables"/>.</summary>
    public static readonly string Css = BaseCss + PhoneCss();

    private static string PhoneCss()
    {
        var css = new StringBuilder("@media (max-width: 640px) {\n");
        var ids = string.Join(", ", CardTables.Select(t => $"#{t.Table}"));
        var part = (string sel) => string.Join(", ", CardTables.Select(t => $"#{t.Table} {sel}"));
        css.Append(CultureInfo.InvariantCulture, $"  {ids}, {part("tbody")}, {part("tr")}, {part("td")} {{ display: block; width: auto; }}\n");
        css.Append(CultureInfo.InvariantCulture, $"  {part("tr:first-child")} {{ display: none; }}\n");
        css.Append(CultureInfo.InvariantCulture, $"  {part("tr")} {{ border: 1px solid #d5dbe2; margin-bottom: .5rem; background: #fff; }}\n");
        css.Append(CultureInfo.InvariantCulture, $"  {part("td")} {{ border: none; padding: .15rem .6rem; overflow-wrap: anywhere; }}\n");
        css.Append(CultureInfo.InvariantCulture, $"  {part("td:empty")} {{ display: none; }}\n");
        foreach (var (table, labels) in CardTables)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i].Length > 0)
                {
                    css.Append(CultureInfo.InvariantCulture, $"  #{table} td:nth-child({i + 1})::before {{ content: \"{labels[i]}: \"; color: #5a6b7d; }}\n");
                }
            }
        }
        return css.Append("}\n").ToString();
    }

    private const string BaseCss = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
        header { background: #1d2733; color: #fff; padding: .6rem 1rem; display: flex; gap: 1rem; align-items: center; }
        header a { color: #cfe3ff; margin-right: .8rem; }
        nav { display: flex; gap: .4rem; align-items: center; flex-wrap: wrap; }
        .who { color: #9fb3c8; margin-left: 1rem; }
        main { padding: 1rem 1.5rem; max-width: 72rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 1rem; }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e1e5ea; vertical-align: top; }
        th { background: #eef1f5; }
        .ok { color: #17692f; } .bad { color: #a11d1d; font-weight: bold; } .warn { color: #8a5a00; }
        form.inline { display: inline; }
        fieldset { background: #fff; border: 1px solid #d5dbe2; margin-bottom: 1rem; }
        label { display: block; margin: .3rem 0; }
        input[type=text], input[type=password], textarea { width: 24rem; max-width: 100%; }
        button { padding: .3rem .9rem; }
        .error { background: #fde8e8; border: 1px solid #e5a1a1; padding: .5rem; }
        .note { background: #eef6ff; border: 1px solid #b7d2f0; padding: .5rem; }
        video { max-width: 100%; background: #000; }
        code { word-break: break-all; }
        th, td { overflow-wrap: break-word; }
        #entries td:nth-child(n+5) { overflow-wrap: anywhere; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        details.hash { display: inline-block; vertical-align: top; } details.hash summary { cursor: pointer; font-family: monospace; }
        .hint { color: #5a6b7d; margin: .2rem 0; }
        .live-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .6rem; }
        figure.live { margin: 0; background: #fff; border: 1px solid #d5dbe2; }
        figure.live video { width: 100%; aspect-ratio: 16 / 9; display: block; }
        figure.live figcaption { padding: .3rem .5rem; }
        .live-state { color: #5b6b7c; font-size: .9em; }
        .stills { display: flex; flex-wrap: wrap; gap: .6rem; }
        .stills img { width: 16rem; max-width: 100%; aspect-ratio: 16 / 9; object-fit: cover; background: #1d2733; display: block; }
        .daynav a, .controls button { margin-right: .4rem; }
        .controls { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin-bottom: .5rem; }
        .controls button { min-height: 2.4rem; }
        .cameras.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
        section.camera { background: #fff; border: 1px solid #d5dbe2; padding: .5rem; margin-bottom: 1rem; min-width: 0; }
        section.camera h2 { margin: 0 0 .4rem; font-size: 1.1rem; }
        .strip { position: relative; height: 3rem; background: #e6e9ee; cursor: pointer; touch-action: none; }
        .strip canvas { width: 100%; height: 100%; display: block; }
        .strip .cursor { position: absolute; top: 0; bottom: 0; width: 2px; background: #1d63c9; display: none; pointer-events: none; }
        .strip .selection { position: absolute; top: 0; bottom: 0; background: rgba(29, 99, 201, .18); display: none; pointer-events: none; }
        .axis { display: flex; justify-content: space-between; font-size: .75rem; color: #5b6b7c; }
        output.hover { display: block; min-height: 1.3em; font-size: .85rem; color: #3b4b5c; }
        section.camera video { width: 100%; aspect-ratio: 16 / 9; max-height: 60vh; }
        ol.clips, ol.gaps { font-size: .85rem; max-height: 12rem; overflow-y: auto; }
        @media (max-width: 640px) {
          header { flex-wrap: wrap; gap: .4rem; padding: .5rem; }
          header a { margin-right: .3rem; display: inline-block; padding: .35rem 0; }
          .who { margin-left: 0; }
          main { padding: .6rem; }
          th, td { overflow-wrap: anywhere; padding: .3rem .4rem; } th { overflow-wrap: normal; }
          input[type=text], input[type=password], input[type=datetime-local], textarea { width: 100%; box-sizing: border-box; }
          button, input, select, textarea, summary { min-height: 44px; font-size: 1rem; }
          #hours, #hours tbody { display: block; } #hours tr { display: flex; flex-wrap: wrap; } #hours td { flex: 0 0 3.2rem; padding: .2rem; }
          input[type=checkbox] { min-height: 0; width: 1.4rem; height: 1.4rem; vertical-align: middle; }
        }

        """;
}
