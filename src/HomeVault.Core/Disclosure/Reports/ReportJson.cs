using System.Text.Json;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// The stable JSON form (README.md in this folder documents every member). Members are always present and always in
/// this order; unknown values are null, never omitted; the checkpoint comes last, as in every other form.
/// </summary>
internal static class ReportJson
{
    public static byte[] Render(TransparencyReport r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", TransparencyReport.FormatName);
            w.WriteString("generated", WireTime.Format(r.Generated));
            w.WriteStartObject("period");
            if (r.From is { } from)
            {
                w.WriteString("from", WireTime.Format(from));
            }
            else
            {
                w.WriteNull("from");
            }
            w.WriteString("to", WireTime.Format(r.To));
            w.WriteEndObject();
            w.WriteNumber("requestsReceived", r.RequestsReceived);
            Counts(w, "byLegalBasis", "legalBasis", r.ByLegalBasis);
            Counts(w, "byOrganization", "organization", r.ByOrganization);
            Counts(w, "byOutcome", "outcome", r.ByOutcome);
            w.WriteStartObject("narrowed");
            w.WriteNumber("cameras", r.Narrowed.Cameras);
            w.WriteNumber("time", r.Narrowed.Time);
            w.WriteNumber("audio", r.Narrowed.Audio);
            w.WriteEndObject();
            w.WriteStartObject("disclosure");
            Disclosure(w, "released", r.Released);
            Disclosure(w, "approvedNotReleased", r.ApprovedNotReleased);
            w.WriteEndObject();
            var d = r.TimeToDecision;
            w.WriteStartObject("timeToDecision");
            w.WriteNumber("decided", d.Decided);
            Seconds(w, "medianSeconds", d.Median);
            Seconds(w, "maxSeconds", d.Max);
            w.WriteNumber("pending", d.Pending);
            Seconds(w, "oldestPendingSeconds", d.OldestPending);
            w.WriteEndObject();
            w.WriteStartArray("byMonth");
            foreach (var m in r.ByMonth)
            {
                w.WriteStartObject();
                w.WriteString("month", m.Month);
                w.WriteNumber("total", m.Total);
                w.WriteStartObject("byOutcome");
                foreach (var (outcome, count) in RequestOutcomes.All.Zip(m.Counts))
                {
                    w.WriteNumber(outcome.ToWireName(), count);
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var c = r.Checkpoint;
            w.WriteStartObject("checkpoint");
            w.WriteString("origin", c.Origin);
            w.WriteNumber("size", c.Size);
            w.WriteString("rootHash", c.RootHash);
            w.WriteString("created", WireTime.Format(c.Created));
            w.WriteString("logKey", c.LogKey);
            w.WriteString("note", c.Note);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void Counts(Utf8JsonWriter w, string name, string keyName, IReadOnlyList<ReportCount> counts)
    {
        w.WriteStartArray(name);
        foreach (var c in counts)
        {
            w.WriteStartObject();
            w.WriteString(keyName, c.Key);
            w.WriteNumber("requests", c.Requests);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Disclosure(Utf8JsonWriter w, string name, DisclosureSummary s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("requests", s.Requests);
        w.WriteStartArray("cameras");
        foreach (var camera in s.Cameras)
        {
            w.WriteStringValue(camera);
        }
        w.WriteEndArray();
        w.WriteNumber("scopeCameraMinutes", Math.Round(s.ScopeCameraMinutes, 1));
        if (s.ClipMinutes is { } clip)
        {
            w.WriteNumber("clipMinutes", Math.Round(clip, 1));
        }
        else
        {
            w.WriteNull("clipMinutes");
        }
        w.WriteNumber("clipMinutesKnownFor", s.ClipMinutesKnownFor);
        w.WriteNumber("releasedClips", s.ReleasedClips);
        w.WriteNumber("releasedBytes", s.ReleasedBytes);
        w.WriteEndObject();
    }

    private static void Seconds(Utf8JsonWriter w, string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, (long)Math.Round(v.TotalSeconds, MidpointRounding.AwayFromZero));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
