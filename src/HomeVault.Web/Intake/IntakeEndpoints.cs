using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requesters;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Vault;
using HomeVault.Web.Hosting;
using HomeVault.Web.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeVault.Web.Intake;

/// <summary>
/// The requesters' side: `POST /api/requests` (JSON, or multipart with the warrant PDF) and `GET /download/{capability}`.
/// Answers never depend on what footage exists: a valid request is accepted whatever the cameras hold.
/// </summary>
internal static partial class IntakeEndpoints
{
    public const string RateLimitPolicy = "intake";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").OnListener(Listener.Intake).RequireRateLimiting(RateLimitPolicy).DisableAntiforgery();
        group.MapPost("/api/requests", SubmitAsync);
        group.MapGet("/download/{capability}", Download);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, WebCatalog catalog, Webhooks hooks, ILoggerFactory loggers, CancellationToken ct)
    {
        var token = BearerToken(context.Request);
        RequesterAccount? requester = null;
        if (token is not null)
        {
            using var read = catalog.Read();
            requester = read.Requesters.Authenticate(token);
        }
        if (requester is null)
        {
            return IntakeProblems.Unauthorized(context);
        }
        var limits = AccessRequestLimits.Default;
        var (body, refusal) = await IntakeBody.ReadAsync(context.Request, limits, ct).ConfigureAwait(false);
        if (body is null)
        {
            return refusal!;
        }
        var log = loggers.CreateLogger("HomeVault.Web.Intake");
        IReadOnlyList<string> known;
        using (var read = catalog.Read())
        {
            known = read.Cameras.ListNames();
        }
        var validation = new AccessRequestValidator(CameraNamesBlind.KnownFor(body.Json, known), catalog.Time, limits).Validate(body.Json);
        if (validation.Request is not { } request)
        {
            LogRefused(log, requester.Name, validation.Problems.Count);
            return IntakeProblems.Invalid(validation.Problems);
        }
        if (!X25519Recipient.Parse(request.Requester.Recipient).Equals(X25519Recipient.Parse(requester.Recipient)))
        {
            return IntakeProblems.Invalid(["requester.recipient: must be the recipient your token was issued for"]);
        }
        StoredRequest stored;
        try
        {
            using var pdf = body.Document is null ? null : new MemoryStream(body.Document, writable: false);
            stored = new RequestIntake(catalog.Data, catalog.Catalog, limits).Submit(request, pdf, "requester/" + requester.Name,
                new Dictionary<string, string> { ["requester"] = requester.Name, ["via"] = "http" },
                (added, work) => work.Requesters.LinkRequest(added.Id, requester.Id), checkpointNow: false);
        }
        catch (AccessRequestException ex)
        {
            return IntakeProblems.Invalid(ex.Problems);
        }
        finally
        {
            if (body.Document is not null)
            {
                Array.Clear(body.Document);
            }
        }
        LogReceived(log, stored.Id, requester.Name);
        hooks.RequestReceived(stored.Id, request.LegalBasis.Type.ToWireName());
        return Results.Created((string?)null, new SubmittedRequest(stored.Id, stored.State.ToDb(), stored.Digest));
    }

    private static IResult Download(string capability, HttpContext context, WebCatalog catalog)
    {
        // The audit names where the download came from; the link itself never reaches a log.
        var who = "download/" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var download = WebDisclosure.OpenDownload(catalog, capability, who);
        if (download is null)
        {
            // Unknown, revoked and expired links are answered alike.
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "no such release",
                detail: "the link is unknown, revoked or expired");
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(download.Content, "application/x-tar", download.FileName);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id} received over HTTP from requester {Requester}")]
    private static partial void LogReceived(ILogger logger, string id, string requester);

    [LoggerMessage(Level = LogLevel.Information, Message = "request from requester {Requester} refused: {Count} problems")]
    private static partial void LogRefused(ILogger logger, string requester, int count);
}

/// <summary>The 201 answer's body.</summary>
internal sealed record SubmittedRequest(string Id, string State, string Digest);
