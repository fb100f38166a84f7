using System.Globalization;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>The wording shared by the Markdown and HTML forms, so both say the same thing the same way.</summary>
internal static class ReportText
{
    public const string Title = "Transparency report";

    public static string Period(TransparencyReport r) =>
        $"requests received {(r.From is { } f ? "from " + WireTime.Format(f) : "since the installation began")} until {WireTime.Format(r.To)} (exclusive)";

    public static string Duration(TimeSpan? span)
    {
        if (span is not { } s)
        {
            return "-";
        }
        return s.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalDays} d {s.Hours} h")
            : s.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalHours} h {s.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalMinutes} min {s.Seconds} s");
    }

    public static string Minutes(double? minutes) =>
        minutes is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) : "not recorded";

    public static string Cameras(IReadOnlyList<string> cameras) => cameras.Count == 0 ? "none" : string.Join(", ", cameras);

    public static string Narrowing(NarrowingCounts n) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Narrowed approvals left out cameras {n.Cameras} time(s), shortened the window {n.Time} time(s) and stripped audio {n.Audio} time(s) (one approval may be narrowed in several ways).");

    public const string OutcomeNote =
        "Outcomes are as of generation, for the requests received in the period. A request released and later closed counts as released; a denial or a preservation hold stays one after the request is closed.";

    public const string DisclosureNote =
        "Scope camera-minutes: the approved window times its cameras. Clips released and clip minutes: what the release packages actually held (minutes only while a package still exists).";

    public const string DecisionNote =
        "Time to decision: from receipt to the owners' approval, preservation or denial.";

    public static string CheckpointIntro(ReportCheckpoint c) =>
        string.Create(CultureInfo.InvariantCulture,
            $"These figures were computed from the catalog at the same moment as this signed checkpoint of the audit log ({c.Size} entries, origin {c.Origin}). Keep it: `homevault audit consistency` proves later logs extend it, and the log key below must match the one the owners published. Generating this report added a report.generated entry after it.");
}
