namespace HomeVault.Core.Disclosure.Reports;

/// <summary>How many requests fall under one key (a legal basis, an organisation, an outcome).</summary>
public sealed record ReportCount(string Key, int Requests);

/// <summary>
/// Ways approvals were narrowed (one approval may be narrowed in several): fewer cameras than requested, a shorter
/// window, audio stripped. Counted over the released-narrowed and approved-narrowed outcomes.
/// </summary>
public sealed record NarrowingCounts(int Cameras, int Time, int Audio);

/// <summary>
/// Footage disclosed (or approved for disclosure) by a group of requests: how many, which cameras, the approved
/// scope in camera-minutes (window length times cameras), the clip minutes actually in the releases where their
/// manifests can still be read, and the clips and bytes of every recorded release.
/// </summary>
public sealed record DisclosureSummary(int Requests, IReadOnlyList<string> Cameras, double ScopeCameraMinutes, double? ClipMinutes,
    int ClipMinutesKnownFor, int ReleasedClips, long ReleasedBytes);

/// <summary>
/// Time from receipt to the owners' decision (approval, preservation or denial), over requests decided so far;
/// and how long the oldest still-pending request has waited, at generation time.
/// </summary>
public sealed record DecisionTimes(int Decided, TimeSpan? Median, TimeSpan? Max, int Pending, TimeSpan? OldestPending);

/// <summary>Requests received in one calendar month (UTC, "yyyy-MM"), by outcome in <see cref="RequestOutcomes.All"/> order.</summary>
public sealed record MonthOutcomes(string Month, IReadOnlyList<int> Counts)
{
    public int Total => Counts.Sum();
}

/// <summary>The signed checkpoint a report was computed from: the full C2SP signed note, and its parsed fields.</summary>
public sealed record ReportCheckpoint(string Origin, long Size, string RootHash, DateTimeOffset Created, string LogKey, string Note);
