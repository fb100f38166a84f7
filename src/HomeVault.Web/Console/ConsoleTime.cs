using System.Globalization;
using HomeVault.Core.Json;
using HomeVault.Web.Hosting;

namespace HomeVault.Web.Console;

/// <summary>
/// Times as owners type them in the console: a browser's date-time input (no zone) read in the console's configured
/// time zone (<see cref="WebOptions.TimeZone"/>, else the server's), or a full ISO 8601 instant with its offset.
/// </summary>
internal static class ConsoleTime
{
    private const string InputFormat = "yyyy-MM-dd'T'HH:mm:ss";

    /// <summary>Null when <paramref name="id"/> is empty or a time zone this machine knows; else what is wrong.</summary>
    public static string? ZoneProblem(string id)
    {
        if (id.Length == 0)
        {
            return null;
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return null;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return $"unknown time zone '{id}' (an IANA id such as Europe/Berlin)";
        }
    }

    public static TimeZoneInfo Zone(WebOptions options) =>
        options.TimeZone.Length == 0 ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);

    /// <summary>The value of an <c>input type="datetime-local"</c> showing <paramref name="t"/> in <paramref name="zone"/>.</summary>
    public static string Input(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString(InputFormat, CultureInfo.InvariantCulture);

    /// <summary>A date-time input's value (seconds optional) in <paramref name="zone"/>, or an ISO 8601 instant with offset.</summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out DateTimeOffset value, out string problem)
    {
        value = default;
        if (DateTime.TryParseExact(text, [InputFormat, "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss.FFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            if (zone.IsInvalidTime(local))
            {
                problem = $"{text} does not exist in {zone.Id} (the clocks skip it)";
                return false;
            }
            if (zone.IsAmbiguousTime(local))
            {
                problem = $"{text} happens twice in {zone.Id} (the clocks go back); give it with its offset, e.g. {text}+01:00";
                return false;
            }
            value = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            problem = "";
            return true;
        }
        return WireTime.TryParseInstant(text, out value, out problem);
    }
}
