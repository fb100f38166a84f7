using System.Globalization;
using System.Text.RegularExpressions;

namespace HomeVault.Core.Json;

/// <summary>
/// The one textual form of instants and dates HomeVault writes in requests and statements:
/// UTC RFC 3339 with 'Z', seconds, and milliseconds only when non-zero; dates as yyyy-MM-dd.
/// </summary>
public static partial class WireTime
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FullDate();

    public static string Format(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses an RFC 3339 date-time that carries an offset ('Z' or ±hh:mm) into UTC. Precision beyond
    /// milliseconds is refused rather than silently rounded, because the catalog stores milliseconds.
    /// </summary>
    public static bool TryParseInstant(string text, out DateTimeOffset utc, out string error)
    {
        utc = default;
        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not an RFC 3339 date-time with offset (e.g. 2026-11-19T20:00:00Z)";
            return false;
        }
        var normalised = text.ToUpperInvariant();
        if (!DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            error = $"'{text}' is not a valid date-time";
            return false;
        }
        var fraction = match.Groups[1].Value;
        if (fraction.Length > 4 && fraction.AsSpan(4).ContainsAnyExcept('0'))
        {
            error = $"'{text}' is more precise than milliseconds";
            return false;
        }
        utc = parsed.ToUniversalTime();
        error = "";
        return true;
    }

    public static bool TryParseDate(string text, out DateOnly date, out string error)
    {
        date = default;
        if (!FullDate().IsMatch(text) || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            error = $"'{text}' is not a date in the form yyyy-MM-dd";
            return false;
        }
        error = "";
        return true;
    }
}
