using System.Globalization;
using System.Net;
using System.Text;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// The HTML form: one self-contained page (inline CSS, inline SVG chart, no scripts, no external assets). Every piece
/// of text goes through <see cref="E"/>; a Content-Security-Policy forbidding scripts is the second line of defence.
/// </summary>
internal static class ReportHtml
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.4}
        table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
        td.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}
        .legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
        p.note{color:#555;font-size:.9rem}
        th,td,code{overflow-wrap:anywhere}pre{white-space:pre-wrap;overflow-wrap:anywhere}svg{max-width:100%;height:auto}
        """;

    public static string Render(TransparencyReport r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(E(ReportText.Title)).Append(" – ").Append(E(r.Checkpoint.Origin)).Append("</title>\n");
        sb.Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(E(ReportText.Title)).Append("</h1>\n");
        sb.Append("<p>Installation <code>").Append(E(r.Checkpoint.Origin)).Append("</code>: ").Append(E(ReportText.Period(r)))
          .Append(". Generated ").Append(E(WireTime.Format(r.Generated))).Append(".</p>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<h2>Requests received: {r.RequestsReceived}</h2>\n");
        Table(sb, "legal basis", r.ByLegalBasis);
        Table(sb, "requesting organisation", r.ByOrganization);
        sb.Append("<h2>Outcomes</h2>\n");
        var labels = RequestOutcomes.All.ToDictionary(o => o.ToWireName(), o => o.Label(), StringComparer.Ordinal);
        Table(sb, "outcome", r.ByOutcome.Select(c => c with { Key = labels[c.Key] }).ToList());
        sb.Append("<p class=\"note\">").Append(E(ReportText.OutcomeNote)).Append("</p>\n");
        sb.Append("<p>").Append(E(ReportText.Narrowing(r.Narrowed))).Append("</p>\n");
        sb.Append("<h2>Requests per month, by outcome</h2>\n").Append(ReportChart.Svg(r.ByMonth)).Append('\n');
        sb.Append("<div class=\"legend\">");
        foreach (var o in RequestOutcomes.All)
        {
            sb.Append("<span><i style=\"background:").Append(ReportChart.Colour(o)).Append("\"></i>").Append(E(o.Label())).Append("</span>");
        }
        sb.Append("</div>\n<h2>Footage disclosed</h2>\n<table>\n<tr><th></th><th>requests</th><th>cameras</th><th>scope camera-minutes</th><th>clips released</th><th>clip minutes</th></tr>\n");
        Disclosure(sb, "released", r.Released);
        Disclosure(sb, "approved, not yet released", r.ApprovedNotReleased);
        sb.Append("</table>\n<p class=\"note\">").Append(E(ReportText.DisclosureNote)).Append("</p>\n");
        var d = r.TimeToDecision;
        sb.Append("<h2>Time to decision</h2>\n<table>\n");
        Row(sb, "decided", d.Decided.ToString(CultureInfo.InvariantCulture));
        Row(sb, "median", ReportText.Duration(d.Median));
        Row(sb, "longest", ReportText.Duration(d.Max));
        Row(sb, "still pending", d.Pending.ToString(CultureInfo.InvariantCulture));
        Row(sb, "oldest pending has waited", ReportText.Duration(d.OldestPending));
        sb.Append("</table>\n<p class=\"note\">").Append(E(ReportText.DecisionNote)).Append("</p>\n");
        sb.Append("<h2>Signed audit checkpoint</h2>\n<p>").Append(E(ReportText.CheckpointIntro(r.Checkpoint))).Append("</p>\n");
        sb.Append("<p>Log key: <code>").Append(E(r.Checkpoint.LogKey)).Append("</code></p>\n");
        sb.Append("<pre id=\"checkpoint\">").Append(E(r.Checkpoint.Note)).Append("</pre>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>HTML-encodes text for element content and double-quoted attributes.</summary>
    internal static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Table(StringBuilder sb, string heading, IReadOnlyList<ReportCount> counts)
    {
        sb.Append("<table>\n<tr><th>").Append(E(heading)).Append("</th><th>requests</th></tr>\n");
        foreach (var c in counts)
        {
            sb.Append("<tr><td>").Append(E(c.Key)).Append(CultureInfo.InvariantCulture, $"</td><td class=\"n\">{c.Requests}</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static void Disclosure(StringBuilder sb, string label, DisclosureSummary s) =>
        sb.Append("<tr><th>").Append(E(label)).Append(CultureInfo.InvariantCulture, $"</th><td class=\"n\">{s.Requests}</td><td>")
          .Append(E(ReportText.Cameras(s.Cameras))).Append("</td><td class=\"n\">").Append(E(ReportText.Minutes(s.ScopeCameraMinutes)))
          .Append(CultureInfo.InvariantCulture, $"</td><td class=\"n\">{s.ReleasedClips}</td><td class=\"n\">").Append(E(ReportText.Minutes(s.ClipMinutes))).Append("</td></tr>\n");

    private static void Row(StringBuilder sb, string label, string value) =>
        sb.Append("<tr><th>").Append(E(label)).Append("</th><td class=\"n\">").Append(E(value)).Append("</td></tr>\n");
}
