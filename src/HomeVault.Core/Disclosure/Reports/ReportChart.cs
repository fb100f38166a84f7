using System.Globalization;
using System.Text;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>An inline SVG stacked bar chart of requests per month by outcome; text in it is encoded like the page.</summary>
internal static class ReportChart
{
    private const int Height = 180;
    private const int Top = 10;
    private const int Left = 36;
    private const int Bottom = 46;
    private const int Bar = 22;
    private const int Gap = 10;

    // One colour per outcome in RequestOutcomes.All order: disclosures warm, refusals and holds cool, open ones grey.
    private static readonly string[] Colours =
        ["#c0392b", "#e67e22", "#f4d03f", "#7d6608", "#2e86c1", "#16a085", "#95a5a6", "#7f8c8d", "#8e44ad", "#566573"];

    public static string Colour(RequestOutcome outcome) => Colours[(int)outcome];

    public static string Svg(IReadOnlyList<MonthOutcomes> months)
    {
        var max = Math.Max(1, months.Count == 0 ? 0 : months.Max(m => m.Total));
        // Room on the right for the last rotated month label.
        var width = Math.Max(260, Left + (Math.Max(1, months.Count) * (Bar + Gap)) + Gap + 40);
        var total = Top + Height + Bottom;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{total}\" viewBox=\"0 0 {width} {total}\" font-size=\"11\" font-family=\"sans-serif\">");
        sb.Append("<title>Requests per month by outcome</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + Height}\" x2=\"{width}\" y2=\"{Top + Height}\" stroke=\"#333\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + 4}\" text-anchor=\"end\">{max}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + Height}\" text-anchor=\"end\">0</text>");
        if (months.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + Gap}\" y=\"{Top + (Height / 2)}\">no requests in this period</text>");
        }
        for (var i = 0; i < months.Count; i++)
        {
            var m = months[i];
            var x = Left + Gap + (i * (Bar + Gap));
            var y = (double)(Top + Height);
            foreach (var (outcome, count) in RequestOutcomes.All.Zip(m.Counts))
            {
                if (count == 0)
                {
                    continue;
                }
                var h = (double)Height * count / max;
                y -= h;
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x}\" y=\"{y:0.##}\" width=\"{Bar}\" height=\"{h:0.##}\" fill=\"{Colour(outcome)}\"><title>{ReportHtml.E($"{m.Month}: {count} {outcome.Label()}")}</title></rect>");
            }
            var lx = x + (Bar / 2);
            var ly = Top + Height + 8;
            sb.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{lx}\" y=\"{ly}\" transform=\"rotate(45 {lx} {ly})\">{ReportHtml.E(m.Month)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }
}
