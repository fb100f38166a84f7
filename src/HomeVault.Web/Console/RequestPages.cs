using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requesters;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>The request inbox, one request with its scope preview, and the approve (narrowed) and deny forms.</summary>
internal static class RequestPages
{
    public static void Map(RouteGroupBuilder routes)
    {
        routes.MapGet("/requests", Inbox);
        routes.MapGet("/requests/{id}", (string id, string? done, HttpContext context, WebCatalog catalog) => Detail(context, catalog, id, done, null));
        routes.MapPost("/requests/{id}/approve", Approve);
        routes.MapPost("/requests/{id}/deny", Deny);
    }

    private const int InboxPageSize = 50;

    /// <summary>Newest first, <see cref="InboxPageSize"/> a page: an inbox of thousands stays a small page.</summary>
    private static IResult Inbox(int? page, HttpContext context, WebCatalog catalog)
    {
        var number = Math.Max(1, page ?? 1);
        IReadOnlyList<StoredRequest> requests;
        long total;
        using (var read = catalog.Read())
        {
            (requests, total) = read.Requests.Page((number - 1) * InboxPageSize, InboxPageSize);
        }
        var body = new StringBuilder("<table id=\"requests\"><tr><th>received</th><th>state</th><th>requester</th><th>legal basis</th><th>cameras</th><th>window</th></tr>");
        foreach (var q in requests)
        {
            var r = q.Request;
            body.Append($"<tr><td><a href=\"/console/requests/{E(q.Id)}\">{E(Time(q.Received))}</a></td><td class=\"state-{E(q.State.ToDb())}\">{E(q.State.ToDb())}</td>")
                .Append($"<td>{E(r.Requester.Organization)}</td><td>{E(Basis(r.LegalBasis))}</td><td>{E(string.Join(", ", r.Scope.Cameras))}</td>")
                .Append($"<td>{E(WireTime.Format(r.Scope.From))} to {E(WireTime.Format(r.Scope.To))}</td></tr>");
        }
        body.Append("</table>");
        if (total == 0)
        {
            body.Append("<p>No access requests.</p>");
        }
        var pages = Math.Max(1, (total + InboxPageSize - 1) / InboxPageSize);
        if (pages > 1)
        {
            body.Append($"<p id=\"pages\">Page {E(number)} of {E(pages)} ({E(total)} requests). ");
            if (number > 1)
            {
                body.Append($"<a rel=\"prev\" href=\"/console/requests?page={E(number - 1)}\">&larr; newer</a> ");
            }
            if (number < pages)
            {
                body.Append($"<a rel=\"next\" href=\"/console/requests?page={E(number + 1)}\">older &rarr;</a>");
            }
            body.Append("</p>");
        }
        return Page(context, "Access requests", body.ToString(), ConsoleEndpoints.Session(context));
    }

    private static IResult Detail(HttpContext context, WebCatalog catalog, string id, string? done, string? error, int status = StatusCodes.Status200OK)
    {
        var session = ConsoleEndpoints.Session(context);
        (StoredRequest Request, ScopePreview Preview, IReadOnlyList<string> Cameras, string? Submitter, IReadOnlyList<RequestTransition> History) Find()
        {
            using var read = catalog.Read();
            var q = read.Requests.Find(id);
            if (q is null)
            {
                return default;
            }
            // Viewing a request is on the record, as at the CLI.
            read.Audit.Append(new AuditEvent(session.Owner, AuditActions.RequestViewed, "request/" + q.Id, new Dictionary<string, string>
            {
                ["digest"] = q.Digest,
                ["state"] = q.State.ToDb(),
                ["via"] = "console",
            }));
            read.Audit.CheckpointIfDue();
            return (q, read.Scopes.Preview(q.Request.Scope), read.Cameras.ListNames(), read.Requesters.SubmitterOf(q.Id), read.Requests.History(q.Id));
        }
        var found = Find();
        if (found.Request is not { } stored)
        {
            return Page(context, "No such request", "<p class=\"error\">No request with that id.</p>", session, StatusCodes.Status404NotFound);
        }
        var r = stored.Request;
        var lb = r.LegalBasis;
        var body = new StringBuilder();
        if (error is not null)
        {
            body.Append($"<p class=\"error\" id=\"error\">{E(error)}</p>");
        }
        if (done is not null)
        {
            body.Append($"<p class=\"note\" id=\"done\">{E(done)}</p>");
        }
        body.Append("<table id=\"request\">")
            .Append($"<tr><th>id</th><td><code>{E(stored.Id)}</code></td></tr><tr><th>state</th><td id=\"state\">{E(stored.State.ToDb())}</td></tr>")
            .Append($"<tr><th>received</th><td>{E(Time(stored.Received))}{(found.Submitter is { } s ? $" over HTTP from requester <strong>{E(s)}</strong>" : " at the command line")}</td></tr>")
            .Append($"<tr><th>requester</th><td>{E(r.Requester.Organization)} &lt;{E(r.Requester.Contact)}&gt;<br>delivers to <code>{E(r.Requester.Recipient)}</code></td></tr>")
            .Append($"<tr><th>legal basis</th><td>{E(Basis(lb))}{(lb.IssuedBy is { } by ? $", issued by {E(by)}" : "")}{(lb.IssuedOn is { } on ? $" on {E(WireTime.Format(on))}" : "")}{(lb.ExpiresOn is { } ex ? $", expires {E(WireTime.Format(ex))}" : "")}</td></tr>")
            .Append($"<tr><th>document</th><td>{(stored.Document is { } d ? $"PDF, {E(Bytes(d.Bytes))}, sha256 <code>{E(d.Sha256)}</code> (sealed to the owners)" : "none")}</td></tr>")
            .Append($"<tr><th>purpose</th><td>{E(r.Purpose)}</td></tr><tr><th>digest</th><td><code>{E(stored.Digest)}</code></td></tr></table>");

        body.Append("<h2>Scope preview</h2><table id=\"preview\"><tr><th>camera</th><th>clips</th><th>minutes</th><th>bytes</th><th>gaps</th></tr>");
        foreach (var c in found.Preview.Cameras)
        {
            var unknown = !found.Cameras.Contains(c.Camera, StringComparer.Ordinal);
            body.Append($"<tr><td>{E(c.Camera)}{(unknown ? " <span class=\"warn\">(not one of your cameras)</span>" : "")}</td><td>{E(c.Clips)}</td>")
                .Append($"<td>{E(c.Minutes.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))}</td><td>{E(Bytes(c.CiphertextBytes))}</td>")
                .Append($"<td>{E(string.Join("; ", c.Gaps.Select(g => $"{Time(g.From)}..{Time(g.To)} {g.Cause}")))}</td></tr>");
        }
        body.Append($"</table><p>Window {E(WireTime.Format(r.Scope.From))} to {E(WireTime.Format(r.Scope.To))}: {E(found.Preview.TotalClips)} clips in total.</p>");

        if (stored.Approved is { } a)
        {
            body.Append($"<p id=\"approved\">Approved scope: {E(string.Join(", ", a.Cameras))}, {E(WireTime.Format(a.From))} to {E(WireTime.Format(a.To))}, audio {(a.StripAudio ? "stripped" : "kept")}, release expires {E(WireTime.Format(a.ReleaseExpires))}.</p>");
        }
        if (stored.State == RequestState.Pending)
        {
            body.Append(DecisionForms(context, stored, found.Cameras, catalog.Time.GetUtcNow()));
        }
        body.Append("<h2>History</h2><table id=\"history\"><tr><th>time</th><th>from</th><th>to</th><th>owner</th><th>reason</th></tr>");
        foreach (var t in found.History)
        {
            body.Append($"<tr><td>{E(Time(t.At))}</td><td>{E(t.From.ToDb())}</td><td>{E(t.To.ToDb())}</td><td>{E(t.Owner)}</td><td>{E(t.Reason)}</td></tr>");
        }
        body.Append("</table>");
        return Page(context, $"Request from {r.Requester.Organization}", body.ToString(), session, status);
    }

    private static string DecisionForms(HttpContext context, StoredRequest q, IReadOnlyCollection<string> ownCameras, DateTimeOffset now)
    {
        var scope = q.Request.Scope;
        var expires = ApprovalStatement.DefaultExpiry(now);
        var zone = context.RequestServices.GetRequiredService<WebOptions>().Zone();
        // Only the installation's own cameras start out ticked: a camera the request names that does not exist here is
        // shown, but approving it has to be a deliberate click.
        var boxes = string.Concat(scope.Cameras.Select(c => ownCameras.Contains(c, StringComparer.Ordinal)
            ? $"<label><input type=\"checkbox\" name=\"cameras\" value=\"{E(c)}\" checked> {E(c)}</label>"
            : $"<label><input type=\"checkbox\" name=\"cameras\" value=\"{E(c)}\"> {E(c)} <span class=\"warn\">(not one of your cameras)</span></label>"));
        string When(string label, string name, string? id, DateTimeOffset t) =>
            $"<label>{label} <input type=\"datetime-local\" step=\"1\" name=\"{name}\"{(id is null ? "" : $" id=\"{id}\"")} value=\"{E(LocalTime.Input(t, zone))}\"></label>";
        var csrf = Antiforgery(context);
        return $"""
            <h2>Decide</h2>
            <form method="post" action="/console/requests/{E(q.Id)}/approve" id="approve-form"><fieldset><legend>Approve (narrow if you can)</legend>{csrf}
            {boxes}
            <p class="hint">Times in {E(zone.Id)}.</p>
            {When("From", "from", "approve-from", scope.From)}
            {When("To", "to", "approve-to", scope.To)}
            <label><input type="checkbox" name="stripAudio" value="yes"> strip audio</label>
            {When("Release expires", "expires", null, expires)}
            <label>Your passphrase (signs the approval) <input type="password" name="passphrase" id="approve-passphrase" autocomplete="off" required></label>
            <button type="submit" id="approve">Sign approval</button></fieldset></form>
            <form method="post" action="/console/requests/{E(q.Id)}/deny" id="deny-form"><fieldset><legend>Deny</legend>{csrf}
            <label>Reason <textarea name="reason" id="deny-reason" required></textarea></label>
            <label>Your passphrase <input type="password" name="passphrase" id="deny-passphrase" autocomplete="off" required></label>
            <button type="submit" id="deny">Deny</button></fieldset></form>
            """;
    }

    private static IResult Approve(string id, [FromForm] IFormCollection form, HttpContext context, WebCatalog catalog)
    {
        var session = ConsoleEndpoints.Session(context);
        var options = context.RequestServices.GetRequiredService<WebOptions>();
        var zone = options.Zone();
        var times = new List<(string Field, DateTimeOffset Value)>();
        foreach (var field in new[] { "from", "to", "expires" })
        {
            if (!LocalTime.TryParse(form[field].ToString(), zone, out var t, out var problem))
            {
                return Detail(context, catalog, id, null, $"{field}: {problem}", StatusCodes.Status400BadRequest);
            }
            times.Add((field, t));
        }
        var cameras = form["cameras"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        var command = new ApproveCommand(id, session.Owner, cameras, times[0].Value, times[1].Value, form["stripAudio"] == "yes", times[2].Value, null);
        var (outcome, refusal) = WebDisclosure.Approve(catalog, context.RequestServices.GetRequiredService<IReleaseMedia>(), command, form["passphrase"].ToString(), context.RequestAborted);
        if (outcome is null)
        {
            return Detail(context, catalog, id, null, refusal, StatusCodes.Status400BadRequest);
        }
        if (outcome.Release is { } release)
        {
            // The capability token exists only here and now (the catalog keeps its hash): shown once, never redirected
            // through a URL that browsers keep in their history.
            var link = DownloadLink(options, context.RequestServices.GetRequiredService<WebListeners>(), release.CapabilityToken);
            var body = $"""
                <p class="note" id="done">approved; the release is built: {E(release.Clips)} clips, {E(Bytes(release.Bytes))}, expires {E(WireTime.Format(release.Expires))}.</p>
                <p>Give the requester this download link over a private channel. It is shown only now; the link works until the
                release expires or you revoke it, and every download is on the audit log.</p>
                <p><code id="download-link">{E(link)}</code></p>
                {(options.PublicIntakeUrl.Length > 0 ? "" : $"<p>(This is the intake's listening address; if requesters reach it elsewhere, e.g. behind your reverse proxy, the path is <code>/download/{E(release.CapabilityToken)}</code> there. Set <code>Http:PublicIntakeUrl</code> to show that address here.)</p>")}
                <p><a href="/console/requests/{E(id)}">Back to the request</a></p>
                """;
            return Page(context, "Release built", body, session);
        }
        var done = !outcome.QuorumReached
            ? $"signed; awaiting {outcome.Quorum - outcome.DistinctSigners} more owner signature(s)"
            : outcome.State == RequestState.Preserved ? "preserved: the requested footage is on legal hold" : "approved";
        return Results.Redirect($"/console/requests/{Uri.EscapeDataString(id)}?done={Uri.EscapeDataString(done)}");
    }

    private static IResult Deny(string id, [FromForm] IFormCollection form, HttpContext context, WebCatalog catalog)
    {
        var session = ConsoleEndpoints.Session(context);
        var refusal = WebDisclosure.Deny(catalog, id, session.Owner, form["passphrase"].ToString(), form["reason"].ToString());
        return refusal is null
            ? Results.Redirect($"/console/requests/{Uri.EscapeDataString(id)}?done=denied")
            : Detail(context, catalog, id, null, refusal, StatusCodes.Status400BadRequest);
    }

    /// <summary>The link a requester can use: on the configured public intake address, else on the first intake listener.</summary>
    private static string DownloadLink(WebOptions options, WebListeners listeners, string token)
    {
        var intakeUrls = listeners.Urls(Listener.Intake);
        var intake = options.PublicIntakeUrl.Length > 0 ? options.PublicIntakeUrl : intakeUrls.Count > 0 ? intakeUrls[0].ToString() : "/";
        return $"{intake.TrimEnd('/')}/download/{token}";
    }

    private static string Basis(LegalBasis basis) =>
        basis.Reference is { } reference ? $"{basis.Type.ToWireName()} \"{reference}\"" : basis.Type.ToWireName();
}
