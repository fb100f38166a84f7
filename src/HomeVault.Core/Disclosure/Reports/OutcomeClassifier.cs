using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Disclosure.Reports;

/// <summary>Decides a request's <see cref="RequestOutcome"/> from its history and whether its approval was narrowed.</summary>
public static class OutcomeClassifier
{
    /// <summary>
    /// Released beats everything (footage left the house, whatever happened next); then preserved; then denied; then
    /// the current state. So approved → revoked before any release is "revoked", released → closed stays released.
    /// </summary>
    public static RequestOutcome Classify(StoredRequest request, IReadOnlyList<RequestTransition> history)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(history);
        bool Reached(RequestState s) => request.State == s || history.Any(h => h.To == s);
        var narrowed = Narrowing(request) is { } n && (n.Cameras || n.Time || n.Audio);
        if (Reached(RequestState.Released))
        {
            return narrowed ? RequestOutcome.ReleasedNarrowed : RequestOutcome.ReleasedInFull;
        }
        if (Reached(RequestState.Preserved))
        {
            return RequestOutcome.Preserved;
        }
        if (Reached(RequestState.Denied))
        {
            return RequestOutcome.Denied;
        }
        return request.State switch
        {
            RequestState.Approved => narrowed ? RequestOutcome.ApprovedNarrowed : RequestOutcome.ApprovedInFull,
            RequestState.Pending => RequestOutcome.Pending,
            RequestState.Expired => RequestOutcome.Expired,
            RequestState.Revoked => RequestOutcome.Revoked,
            _ => RequestOutcome.Closed,
        };
    }

    /// <summary>How the approved scope is narrower than the requested one; null when nothing was approved.</summary>
    public static (bool Cameras, bool Time, bool Audio)? Narrowing(StoredRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Approved is not { } a)
        {
            return null;
        }
        var asked = request.Request.Scope;
        var fewerCameras = asked.Cameras.Any(c => !a.Cameras.Contains(c, StringComparer.Ordinal));
        return (fewerCameras, a.From > asked.From || a.To < asked.To, a.StripAudio);
    }

    /// <summary>When the owners decided (first move out of pending to approved, preserved or denied), or null.</summary>
    public static DateTimeOffset? DecidedAt(IReadOnlyList<RequestTransition> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.FirstOrDefault(h => h.From == RequestState.Pending &&
            h.To is RequestState.Approved or RequestState.Preserved or RequestState.Denied)?.At;
    }
}
