using Microsoft.AspNetCore.Http;

namespace HomeVault.Web.Intake;

/// <summary>RFC 7807 answers for the intake, each with one line a requester can act on.</summary>
internal static class IntakeProblems
{
    public static IResult Unauthorized(HttpContext context)
    {
        // RFC 6750: say which scheme is expected, but not whether a token was close to a real one.
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"homevault\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "a valid requester token is required",
            detail: "send 'Authorization: Bearer hvr_...' with the token the owners issued you");
    }

    public static IResult TooLarge(long limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "request body too large",
            detail: $"the body is larger than the limit of {limit} bytes");

    public static IResult Malformed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "malformed request", detail: detail);

    public static IResult UnsupportedMedia() =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "unsupported content type",
            detail: "send application/json, or multipart/form-data with a 'request' part (JSON) and an optional 'document' part (PDF)");

    /// <summary>One entry per field (the validator's "field: message" lines), as RFC 7807 validation problems.</summary>
    public static IResult Invalid(IReadOnlyList<string> problems)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in problems)
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var field = colon > 0 ? line[..colon] : "request";
            var message = colon > 0 ? line[(colon + 2)..] : line;
            errors[field] = errors.TryGetValue(field, out var earlier) ? [.. earlier, message] : [message];
        }
        return Results.ValidationProblem(errors, title: "the request is invalid", detail: string.Join("; ", problems));
    }
}
