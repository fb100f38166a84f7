namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// What became of a request, as a transparency report counts it. Decided from the request's whole history, not only
/// its current state: a request that was released and later closed still disclosed footage, a denial stays a denial
/// after the request is closed, and a preservation hold stays "preserved" after it is lifted.
/// </summary>
public enum RequestOutcome
{
    /// <summary>Footage was released, the approved scope equal to the requested one.</summary>
    ReleasedInFull,
    /// <summary>Footage was released under an approval narrower than the request (cameras, time, or audio stripped).</summary>
    ReleasedNarrowed,
    /// <summary>Owners approved the whole requested scope; no release has been built yet.</summary>
    ApprovedInFull,
    /// <summary>Owners approved a narrower scope; no release has been built yet.</summary>
    ApprovedNarrowed,
    Denied,
    /// <summary>A preservation request: footage was held, nothing released.</summary>
    Preserved,
    Pending,
    /// <summary>Ended without disclosure because its legal basis or its approval lapsed.</summary>
    Expired,
    /// <summary>An approval withdrawn before anything was released.</summary>
    Revoked,
    /// <summary>Closed without a decision (withdrawn by the requester, matter finished).</summary>
    Closed,
}

public static class RequestOutcomes
{
    /// <summary>Every outcome in report order (the order of JSON arrays, tables and chart stacks).</summary>
    public static IReadOnlyList<RequestOutcome> All { get; } = Enum.GetValues<RequestOutcome>();

    public static string ToWireName(this RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.ReleasedInFull => "released-in-full",
        RequestOutcome.ReleasedNarrowed => "released-narrowed",
        RequestOutcome.ApprovedInFull => "approved-in-full",
        RequestOutcome.ApprovedNarrowed => "approved-narrowed",
        RequestOutcome.Denied => "denied",
        RequestOutcome.Preserved => "preserved",
        RequestOutcome.Pending => "pending",
        RequestOutcome.Expired => "expired",
        RequestOutcome.Revoked => "revoked",
        RequestOutcome.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>A short human label for tables and the chart legend.</summary>
    public static string Label(this RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.ReleasedInFull => "released in full",
        RequestOutcome.ReleasedNarrowed => "released, narrowed",
        RequestOutcome.ApprovedInFull => "approved in full, not yet released",
        RequestOutcome.ApprovedNarrowed => "approved narrowed, not yet released",
        RequestOutcome.Denied => "denied",
        RequestOutcome.Preserved => "preserved only (nothing released)",
        RequestOutcome.Pending => "pending",
        RequestOutcome.Expired => "expired",
        RequestOutcome.Revoked => "revoked",
        RequestOutcome.Closed => "closed without decision",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
