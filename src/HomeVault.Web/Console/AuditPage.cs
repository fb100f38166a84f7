using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>
/// The audit log, newest first, a page at a time, with the last signed checkpoint and, on request, a full verification
/// (every leaf, subtree, checkpoint signature and clip row, every clip file re-hashed, as `homevault audit verify` does).
/// </summary>
internal static class AuditPage
{
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder routes) => routes.MapGet("/audit", Render);

    private static IResult Render(long? before, bool? verify, HttpContext context, WebCatalog catalog)
    {
        long size;
        IReadOnlyList<AuditEntry> entries;
        SignedCheckpoint? checkpoint;
        using (var read = catalog.Read())
        {
            size = read.Audit.Size();
            var end = Math.Clamp(before ?? size, 0, size);
            var start = Math.Max(0, end - PageSize);
            (entries, checkpoint) = (read.Audit.GetEntries(start, (int)(end - start)), read.Audit.LatestCheckpoint());
        }
        var body = new StringBuilder();
        body.Append($"<p>{E(size)} entries. ");
        body.Append(checkpoint is null ? "No checkpoint yet." : $"Last signed checkpoint covers {E(checkpoint.Size)} entries ({E(Time(checkpoint.Created))}).");
        body.Append(" <a id=\"verify\" href=\"/console/audit?verify=true\">Verify the whole log now</a></p>");
        if (verify == true)
        {
            var report = Verify(catalog);
            body.Append(report.Ok && report.UnknownClipFiles.Count == 0
                ? $"<p class=\"ok\" id=\"verification\">{E(report.ToString())}</p>"
                : $"<p class=\"bad\" id=\"verification\">{E(report.ToString())}</p>");
        }
        body.Append("<table id=\"entries\"><tr><th>#</th><th>time</th><th>actor</th><th>action</th><th>subject</th><th>details</th></tr>");
        foreach (var e in entries.Reverse())
        {
            var details = string.Join(", ", e.Event.Details.Select(kv => $"{E(kv.Key)}={Short(kv.Value)}"));
            body.Append($"<tr><td>{E(e.Index)}</td><td>{E(Time(e.Time))}</td><td>{E(e.Event.Actor)}</td><td>{E(e.Event.Action)}</td>")
                .Append($"<td>{Short(e.Event.Subject)}</td><td>{details}</td></tr>");
        }
        body.Append("</table>");
        if (entries.Count > 0 && entries[0].Index > 0)
        {
            body.Append($"<p><a href=\"/console/audit?before={E(entries[0].Index)}\">older entries &rarr;</a></p>");
        }
        return Page(context, "Audit log", body.ToString(), ConsoleEndpoints.Session(context));
    }

    /// <summary>
    /// A hash or key (a long run of hex, base64 or bech32 after the last '/') as its first 12 characters, the whole on demand (a
    /// <c>details</c> element: no script); other values as they are. Encoded either way.
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> HashCharacters =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+=-_");

    internal static string Short(string value)
    {
        const int Keep = 12;
        var token = value.AsSpan(value.LastIndexOf('/') + 1);
        if (token.Length < 32 || token.ContainsAnyExcept(HashCharacters))
        {
            return E(value);
        }
        var head = value[..(value.Length - token.Length + Keep)];
        return $"<details class=\"hash\"><summary>{E(head)}&hellip;</summary><code>{E(value)}</code></details>";
    }

    /// <summary>On a connection of its own, so a long verification does not hold up intake and the rest of the console.</summary>
    private static AuditVerificationReport Verify(WebCatalog catalog)
    {
        using var db = CatalogDatabase.Open(catalog.Data.CatalogPath);
        using var audit = InstallationAudit.Open(catalog.Data, db, catalog.Time);
        return audit.Log.Verify(new AuditVerifyOptions { DataDirectory = catalog.Data.Root, HashClipFiles = true });
    }
}
