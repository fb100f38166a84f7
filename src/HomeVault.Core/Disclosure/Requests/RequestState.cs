namespace HomeVault.Core.Disclosure.Requests;

/// <summary>Where an access request stands. Transitions are listed in <see cref="RequestStates"/>.</summary>
public enum RequestState
{
    /// <summary>Received, awaiting owner review. Its scope is on legal hold.</summary>
    Pending,
    /// <summary>Enough owners signed one approval statement; a release may be built. Held.</summary>
    Approved,
    Denied,
    /// <summary>A preservation request the owners accepted: footage is held, nothing is ever released.</summary>
    Preserved,
    Released,
    Revoked,
    Expired,
    Closed,
}

/// <summary>The state machine of a request (mirrored by the trigger in 0003_requests.sql).</summary>
public static class RequestStates
{
    private static readonly Dictionary<RequestState, RequestState[]> Allowed = new()
    {
        [RequestState.Pending] = [RequestState.Approved, RequestState.Preserved, RequestState.Denied, RequestState.Expired, RequestState.Closed],
        [RequestState.Approved] = [RequestState.Released, RequestState.Revoked, RequestState.Expired, RequestState.Closed],
        [RequestState.Preserved] = [RequestState.Revoked, RequestState.Expired, RequestState.Closed],
        [RequestState.Released] = [RequestState.Revoked, RequestState.Expired, RequestState.Closed],
        [RequestState.Denied] = [RequestState.Closed],
        [RequestState.Revoked] = [RequestState.Closed],
        [RequestState.Expired] = [RequestState.Closed],
        [RequestState.Closed] = [],
    };

    /// <summary>States whose requested scope is on legal hold: retention must not delete footage inside it.</summary>
    public static IReadOnlyList<RequestState> Holding { get; } = [RequestState.Pending, RequestState.Approved, RequestState.Preserved];

    public static bool CanMove(RequestState from, RequestState to) => Allowed[from].Contains(to);

    public static bool Holds(this RequestState state) => Holding.Contains(state);

    public static string ToDb(this RequestState state) => state switch
    {
        RequestState.Pending => "pending",
        RequestState.Approved => "approved",
        RequestState.Denied => "denied",
        RequestState.Preserved => "preserved",
        RequestState.Released => "released",
        RequestState.Revoked => "revoked",
        RequestState.Expired => "expired",
        RequestState.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static RequestState FromDb(string value) => value switch
    {
        "pending" => RequestState.Pending,
        "approved" => RequestState.Approved,
        "denied" => RequestState.Denied,
        "preserved" => RequestState.Preserved,
        "released" => RequestState.Released,
        "revoked" => RequestState.Revoked,
        "expired" => RequestState.Expired,
        "closed" => RequestState.Closed,
        _ => throw new InvalidOperationException($"request state '{value}' is not one HomeVault writes"),
    };
}
