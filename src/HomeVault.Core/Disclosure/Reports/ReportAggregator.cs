using System.Globalization;
using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>Turns the requests of a period and their histories into a <see cref="TransparencyReport"/>.</summary>
internal static class ReportAggregator
{
    // More months than this between the first and last request: the chart shows only months with requests.
    private const int MaxFilledMonths = 240;

    public static TransparencyReport Aggregate(IReadOnlyList<StoredRequest> requests,
        IReadOnlyDictionary<string, IReadOnlyList<RequestTransition>> histories, IReleaseFacts releases,
        DateTimeOffset? from, DateTimeOffset to, DateTimeOffset now, ReportCheckpoint checkpoint)
    {
        var outcomes = requests.ToDictionary(r => r.Id, r => OutcomeClassifier.Classify(r, histories[r.Id]), StringComparer.Ordinal);
        var byBasis = LegalBasisTypes.Names
            .Select(name => new ReportCount(name, requests.Count(r => r.Request.LegalBasis.Type.ToWireName() == name)))
            .ToList();
        var byOrganization = requests
            .GroupBy(r => r.Request.Requester.Organization, StringComparer.Ordinal)
            .Select(g => new ReportCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Requests).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        var byOutcome = RequestOutcomes.All
            .Select(o => new ReportCount(o.ToWireName(), outcomes.Values.Count(v => v == o)))
            .ToList();
        var narrowedRequests = requests.Where(r => outcomes[r.Id] is RequestOutcome.ReleasedNarrowed or RequestOutcome.ApprovedNarrowed)
            .Select(r => OutcomeClassifier.Narrowing(r)!.Value).ToList();
        var narrowed = new NarrowingCounts(narrowedRequests.Count(n => n.Cameras), narrowedRequests.Count(n => n.Time), narrowedRequests.Count(n => n.Audio));
        var released = Disclosure(requests.Where(r => outcomes[r.Id] is RequestOutcome.ReleasedInFull or RequestOutcome.ReleasedNarrowed), releases);
        var approved = Disclosure(requests.Where(r => outcomes[r.Id] is RequestOutcome.ApprovedInFull or RequestOutcome.ApprovedNarrowed), releases);
        return new TransparencyReport(now, from, to, requests.Count, byBasis, byOrganization, byOutcome, narrowed, released, approved,
            DecisionTimesOf(requests, histories, now), Months(requests, outcomes), checkpoint);
    }

    private static DisclosureSummary Disclosure(IEnumerable<StoredRequest> group, IReleaseFacts releases)
    {
        var list = group.ToList();
        var cameras = list.SelectMany(r => r.Approved!.Cameras).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var scopeMinutes = list.Sum(r => (r.Approved!.To - r.Approved.From).TotalMinutes * r.Approved.Cameras.Count);
        var recorded = list.Select(r => releases.Footage(r.Id)).OfType<ReleasedFootage>().ToList();
        var timed = recorded.Where(f => f.Length is not null).ToList();
        return new DisclosureSummary(list.Count, cameras, scopeMinutes,
            timed.Count == 0 ? null : timed.Sum(k => k.Length!.Value.TotalMinutes), timed.Count,
            recorded.Sum(f => f.Clips), recorded.Sum(f => f.Bytes));
    }

    private static DecisionTimes DecisionTimesOf(IReadOnlyList<StoredRequest> requests,
        IReadOnlyDictionary<string, IReadOnlyList<RequestTransition>> histories, DateTimeOffset now)
    {
        var durations = requests
            .Select(r => OutcomeClassifier.DecidedAt(histories[r.Id]) is { } at ? at - r.Received : (TimeSpan?)null)
            .OfType<TimeSpan>().Order().ToList();
        TimeSpan? median = durations.Count == 0 ? null
            : durations.Count % 2 == 1 ? durations[durations.Count / 2]
            : (durations[(durations.Count / 2) - 1] + durations[durations.Count / 2]) / 2;
        var pending = requests.Where(r => r.State == RequestState.Pending).ToList();
        TimeSpan? oldest = pending.Count == 0 ? null : now - pending.Min(r => r.Received);
        return new DecisionTimes(durations.Count, median, durations.Count == 0 ? null : durations[^1], pending.Count, oldest);
    }

    private static List<MonthOutcomes> Months(IReadOnlyList<StoredRequest> requests, Dictionary<string, RequestOutcome> outcomes)
    {
        if (requests.Count == 0)
        {
            return [];
        }
        static DateTime MonthOf(DateTimeOffset t) => new(t.UtcDateTime.Year, t.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var byMonth = requests.GroupBy(r => MonthOf(r.Received)).ToDictionary(g => g.Key, g => g.ToList());
        var first = byMonth.Keys.Min();
        var last = byMonth.Keys.Max();
        var span = ((last.Year - first.Year) * 12) + last.Month - first.Month;
        // Empty months between the first and the last are shown, so the chart's time axis is honest.
        IEnumerable<DateTime> months = span <= MaxFilledMonths
            ? Enumerable.Range(0, span + 1).Select(first.AddMonths)
            : byMonth.Keys.Order();
        return months.Select(m =>
        {
            var inMonth = byMonth.GetValueOrDefault(m) ?? [];
            return new MonthOutcomes(m.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                RequestOutcomes.All.Select(o => inMonth.Count(r => outcomes[r.Id] == o)).ToList());
        }).ToList();
    }
}
