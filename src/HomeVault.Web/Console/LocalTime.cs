using System.Globalization;

namespace HomeVault.Web.Console;

/// <summary>The owners' time zone on the console: where their days begin, how clock times read, what they type.</summary>
internal static class LocalTime
{
    /// <summary>The instant <paramref name="date"/> begins in <paramref name="zone"/> (the first valid local time, should midnight be skipped).</summary>
    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    public static string Clock(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The value of an <c>input type="datetime-local" step="1"</c> showing <paramref name="t"/> in <paramref name="zone"/>.</summary>
    public static string Input(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// A datetime-local field's value (YYYY-MM-DDTHH:MM[:SS]) read in <paramref name="zone"/>, or an ISO 8601 instant
    /// with its offset (for a time the clocks repeat, or a script); false with a reason otherwise.
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out DateTimeOffset instant, out string problem)
    {
        instant = default;
        if (!DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFF"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            if (Core.Json.WireTime.TryParseInstant(text, out instant, out _))
            {
                problem = "";
                return true;
            }
            problem = "must be a local date and time, YYYY-MM-DDTHH:MM:SS";
            return false;
        }
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
        instant = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
        problem = "";
        return true;
    }
}
