using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// A transparency report: the access requests received in a period (by receipt time, [From, To)), what became of
/// them as of generation, what footage left the house, how long owners took to decide, and the signed audit
/// checkpoint the figures were read against. See README.md in this folder for the JSON form and the definitions.
/// </summary>
public sealed record TransparencyReport(
    DateTimeOffset Generated,
    DateTimeOffset? From,
    DateTimeOffset To,
    int RequestsReceived,
    IReadOnlyList<ReportCount> ByLegalBasis,
    IReadOnlyList<ReportCount> ByOrganization,
    IReadOnlyList<ReportCount> ByOutcome,
    NarrowingCounts Narrowed,
    DisclosureSummary Released,
    DisclosureSummary ApprovedNotReleased,
    DecisionTimes TimeToDecision,
    IReadOnlyList<MonthOutcomes> ByMonth,
    ReportCheckpoint Checkpoint)
{
    /// <summary>The value of the JSON form's "format" member; a new version would get a new name.</summary>
    public const string FormatName = "homevault-transparency-report-v1";

    /// <summary>
    /// Reads the requests and signs (or reuses) a checkpoint covering the whole audit log inside one write
    /// (<see cref="CatalogConnection.Write"/>, an immediate transaction), so the figures and the checkpoint describe
    /// the same moment. A fresh checkpoint is made whenever the latest one does not cover the last leaf. The caller
    /// appends the <see cref="GeneratedEvent"/> leaf in the same write and commits. Release facts default to the
    /// catalog's releases table (<see cref="CatalogReleaseFacts"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not before <paramref name="to"/>.</exception>
    public static TransparencyReport Compute(CatalogWork work, DateTimeOffset? from = null, DateTimeOffset? to = null,
        TimeProvider? time = null, IReleaseFacts? releases = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.Transaction is null)
        {
            throw new ArgumentException("a report is computed inside a write, so its figures and checkpoint agree", nameof(work));
        }
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var until = to ?? now;
        if (from is { } f && f >= until)
        {
            throw new ArgumentException($"report period: from {WireTime.Format(f)} is not before to {WireTime.Format(until)}", nameof(from));
        }
        var requests = work.Requests.List()
            .Where(r => (from is null || r.Received >= from) && r.Received < until)
            .OrderBy(r => r.Received).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var histories = work.Requests.Histories(requests);
        var signed = work.Checkpoint();
        var checkpoint = new ReportCheckpoint(signed.Checkpoint.Origin, signed.Size, Convert.ToBase64String(signed.Checkpoint.RootHash.Span),
            signed.Created, work.Audit.VerifierKey, signed.Note);
        return ReportAggregator.Aggregate(requests, histories, releases ?? new CatalogReleaseFacts(work.Releases), from, until, now, checkpoint);
    }

    /// <summary>The report as Markdown (readable as plain text; text from requests escaped so it cannot inject markup).</summary>
    public string ToMarkdown() => ReportMarkdown.Render(this);

    /// <summary>The report as indented JSON (UTF-8), members in the documented order.</summary>
    public byte[] ToJson() => ReportJson.Render(this);

    /// <summary>A self-contained HTML page: inline CSS and SVG chart, no scripts or external assets, all text encoded.</summary>
    public string ToHtml() => ReportHtml.Render(this);

    /// <summary>
    /// The `report.generated` audit entry for one rendering: period, format, the checkpoint it certifies and the
    /// SHA-256 of the exact bytes handed out, so an auditor holding a report can find the entry that records it.
    /// Appended after the checkpoint: a report certifies the log up to, not including, its own generation.
    /// </summary>
    public AuditEvent GeneratedEvent(string actor, string format, ReadOnlySpan<byte> rendered) =>
        new(actor, AuditActions.ReportGenerated, "report", new Dictionary<string, string>
        {
            ["format"] = format,
            ["from"] = From is { } f ? WireTime.Format(f) : "beginning",
            ["to"] = WireTime.Format(To),
            ["requests"] = RequestsReceived.ToString(CultureInfo.InvariantCulture),
            ["checkpoint_size"] = Checkpoint.Size.ToString(CultureInfo.InvariantCulture),
            ["checkpoint_root"] = Checkpoint.RootHash,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(rendered)),
        });
}
