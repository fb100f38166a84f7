using System.Globalization;

namespace HomeVault.Cli.Infrastructure;

/// <summary>Times on the command line: RFC 3339 (offset or Z), or a bare date meaning midnight UTC.</summary>
internal static class TimeArgument
{
    public static DateTimeOffset Parse(string value, string option)
    {
        if (DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact) && (value.EndsWith('Z') || value.EndsWith('z') || HasOffset(value)))
        {
            return exact.ToUniversalTime();
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        throw new UserError($"{option}: '{value}' is not a time; use RFC 3339 with a zone, like 2026-11-19T20:00:00Z, or a date like 2026-11-19");
    }

    public static DateTimeOffset? ParseOptional(string? value, string option) => value is null ? null : Parse(value, option);

    private static bool HasOffset(string value)
    {
        var t = value.IndexOf('T', StringComparison.Ordinal);
        return t > 0 && (value.IndexOf('+', t) > 0 || value.IndexOf('-', t) > 0);
    }

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
