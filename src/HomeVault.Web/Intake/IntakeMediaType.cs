using Microsoft.Net.Http.Headers;

namespace HomeVault.Web.Intake;

/// <summary>
/// The two content types the intake reads. ASP.NET's <c>HasJsonContentType</c> also takes every <c>+json</c> type and
/// any charset; the README promises 415 for anything but JSON (UTF-8, as RFC 8259 requires) and a multipart form, and
/// a body declared in another charset would be read as UTF-8 all the same.
/// </summary>
internal static class IntakeMediaType
{
    /// <summary><c>application/json</c>, with no parameter but an optional <c>charset=utf-8</c> (any case).</summary>
    public static bool IsJson(MediaTypeHeaderValue type)
    {
        if (!type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return type.Parameters.Count switch
        {
            0 => true,
            1 => type.Parameters[0].Name.Equals("charset", StringComparison.OrdinalIgnoreCase)
                && HeaderUtilities.RemoveQuotes(type.Parameters[0].Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary><c>multipart/form-data</c> with a usable boundary, or null.</summary>
    public static string? MultipartBoundary(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 and <= 200 } boundary
            ? boundary
            : null;
}
