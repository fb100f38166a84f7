using System.Globalization;
using System.Text;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// The Markdown form. Text that came from requesters (organisation names) is escaped so it shows literally in any
/// renderer: Markdown punctuation backslash-escaped, and &lt; &gt; &amp; as entities because Markdown passes raw HTML through.
/// </summary>
internal static class ReportMarkdown
{
    public static string Render(TransparencyReport r)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(ReportText.Title).Append("\n\n");
        sb.Append("Installation `").Append(r.Checkpoint.Origin).Append("`: ").Append(ReportText.Period(r))
          .Append(". Generated ").Append(WireTime.Format(r.Generated)).Append(".\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"## Requests received: {r.RequestsReceived}\n\n");
        Table(sb, "legal basis", r.ByLegalBasis);
        Table(sb, "requesting organisation", r.ByOrganization);
        sb.Append("## Outcomes\n\n");
        var labels = RequestOutcomes.All.ToDictionary(o => o.ToWireName(), o => o.Label(), StringComparer.Ordinal);
        Table(sb, "outcome", r.ByOutcome.Select(c => c with { Key = labels[c.Key] }).ToList(), escape: false);
        sb.Append(ReportText.OutcomeNote).Append("\n\n").Append(ReportText.Narrowing(r.Narrowed)).Append("\n\n");
        sb.Append("## Footage disclosed\n\n");
        sb.Append("| | requests | cameras | scope camera-minutes | clips released | clip minutes |\n|---|---:|---|---:|---:|---:|\n");
        Disclosure(sb, "released", r.Released);
        Disclosure(sb, "approved, not yet released", r.ApprovedNotReleased);
        sb.Append('\n').Append(ReportText.DisclosureNote).Append("\n\n");
        var d = r.TimeToDecision;
        sb.Append("## Time to decision\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- decided: {d.Decided}; median {ReportText.Duration(d.Median)}, longest {ReportText.Duration(d.Max)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- still pending: {d.Pending}; the oldest has waited {ReportText.Duration(d.OldestPending)}\n\n");
        sb.Append(ReportText.DecisionNote).Append("\n\n");
        sb.Append("## Requests per month\n\n| month | total | ");
        sb.AppendJoin(" | ", RequestOutcomes.All.Select(o => o.ToWireName())).Append(" |\n|---|---:|");
        sb.Append(string.Concat(Enumerable.Repeat("---:|", RequestOutcomes.All.Count))).Append('\n');
        foreach (var m in r.ByMonth)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {m.Month} | {m.Total} | ").AppendJoin(" | ", m.Counts).Append(" |\n");
        }
        sb.Append("\n## Signed audit checkpoint\n\n").Append(ReportText.CheckpointIntro(r.Checkpoint)).Append("\n\n");
        sb.Append("Log key: `").Append(r.Checkpoint.LogKey).Append("`\n\n");
        // The note is installation-generated (origin, decimal, base64, signature lines): no backticks can occur in it.
        sb.Append("```\n").Append(r.Checkpoint.Note).Append("```\n");
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, string heading, IReadOnlyList<ReportCount> counts, bool escape = true)
    {
        sb.Append("| ").Append(heading).Append(" | requests |\n|---|---:|\n");
        foreach (var c in counts)
        {
            sb.Append("| ").Append(escape ? Escape(c.Key) : c.Key).Append(CultureInfo.InvariantCulture, $" | {c.Requests} |\n");
        }
        if (counts.Count == 0)
        {
            sb.Append("| none | 0 |\n");
        }
        sb.Append('\n');
    }

    private static void Disclosure(StringBuilder sb, string label, DisclosureSummary s) =>
        sb.Append("| ").Append(label).Append(CultureInfo.InvariantCulture, $" | {s.Requests} | ")
          .Append(Escape(ReportText.Cameras(s.Cameras))).Append(" | ").Append(ReportText.Minutes(s.ScopeCameraMinutes))
          .Append(CultureInfo.InvariantCulture, $" | {s.ReleasedClips} | ").Append(ReportText.Minutes(s.ClipMinutes)).Append(" |\n");

    /// <summary>Makes untrusted text literal inside a Markdown table cell.</summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\r' or '\n': sb.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '|' or '!' or '~' or '{' or '}':
                    sb.Append('\\').Append(c);
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
