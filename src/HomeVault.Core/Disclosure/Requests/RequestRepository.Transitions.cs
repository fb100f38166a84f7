using Microsoft.Data.Sqlite;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Requests;

public sealed partial class RequestRepository
{
    public const int MaxReasonLength = 2000;

    /// <summary>An owner refuses a pending request. The reason is required: 1-2000 characters, no control characters but newlines.</summary>
    /// <exception cref="AccessRequestException">Not pending, unknown or removed owner, or a missing/over-long reason.</exception>
    public RequestTransition Deny(string id, string owner, string reason)
    {
        var checkedReason = CheckReason(reason, required: true)!;
        return InTransaction(r =>
        {
            var ownerId = r.ActiveOwner(owner).Id;
            return r.Move(id, RequestState.Denied, ownerId, owner, checkedReason);
        });
    }

    /// <summary>The release for an approved request was built and handed over. Refused for preservation requests.</summary>
    public RequestTransition MarkReleased(string id) =>
        InTransaction(r =>
        {
            var request = r.Get(id);
            if (request.IsPreservation)
            {
                throw new AccessRequestException($"request {id}: a preservation request only holds footage and can never be released");
            }
            if (request.Approved is { } a && a.ReleaseExpires <= _time.GetUtcNow())
            {
                throw new AccessRequestException($"request {id}: the approval expired at {WireTime.Format(a.ReleaseExpires)}; nothing may be released");
            }
            return r.Move(id, RequestState.Released, null, null, null);
        });

    /// <summary>An owner withdraws an approval, a hold or a release (e.g. the warrant was quashed).</summary>
    public RequestTransition Revoke(string id, string owner, string reason)
    {
        var checkedReason = CheckReason(reason, required: true)!;
        return InTransaction(r => r.Move(id, RequestState.Revoked, r.ActiveOwner(owner).Id, owner, checkedReason));
    }

    /// <summary>Marks a request expired (its legal basis or its release lapsed); the caller decides when.</summary>
    public RequestTransition Expire(string id, string? reason = null)
    {
        var checkedReason = CheckReason(reason, required: false);
        return InTransaction(r => r.Move(id, RequestState.Expired, null, null, checkedReason));
    }

    /// <summary>Ends a request's life (withdrawn, hold lifted, matter finished). <paramref name="owner"/> may be null for system actions.</summary>
    public RequestTransition Close(string id, string? owner = null, string? reason = null)
    {
        var checkedReason = CheckReason(reason, required: false);
        return InTransaction(r => r.Move(id, RequestState.Closed, owner is null ? null : r.ActiveOwner(owner).Id, owner, checkedReason));
    }

    /// <summary>Every state change of a request, oldest first (the first is its receipt as pending).</summary>
    public IReadOnlyList<RequestTransition> History(string id)
    {
        var scope = Get(id).Request.Scope;
        return ReadHistories(id, _ => scope).GetValueOrDefault(id) ?? [];
    }

    /// <summary>
    /// The history of every request at once, by id, each oldest first (for reports: one query instead of one per
    /// request). Transitions carry each request's requested scope.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RequestTransition>> Histories(IReadOnlyList<StoredRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var scopes = requests.ToDictionary(r => r.Id, r => r.Request.Scope, StringComparer.Ordinal);
        var all = ReadHistories(null, id => scopes.GetValueOrDefault(id));
        return requests.ToDictionary(r => r.Id, r => all.GetValueOrDefault(r.Id) ?? [], StringComparer.Ordinal);
    }

    private Dictionary<string, IReadOnlyList<RequestTransition>> ReadHistories(string? onlyId, Func<string, RequestScope?> scopeOf)
    {
        using var cmd = Command("""
            SELECT d.request_id, r.digest, d.from_state, d.to_state, o.name, d.reason, d.decided_ms
            FROM request_decisions d JOIN requests r ON r.id = d.request_id LEFT JOIN owners o ON o.id = d.owner_id
            WHERE $id IS NULL OR d.request_id = $id ORDER BY d.id
            """);
        cmd.Parameters.AddWithValue("$id", Db(onlyId));
        using var reader = cmd.ExecuteReader();
        var lists = new Dictionary<string, List<RequestTransition>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (scopeOf(id) is not { } scope)
            {
                continue;
            }
            var to = RequestStates.FromDb(reader.GetString(3));
            if (!lists.TryGetValue(id, out var list))
            {
                lists[id] = list = [];
            }
            list.Add(new RequestTransition(id, reader.GetString(1), scope,
                reader.IsDBNull(2) ? to : RequestStates.FromDb(reader.GetString(2)), to,
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }
        return lists.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<RequestTransition>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Moves a request to <paramref name="to"/> if the state machine allows it, and records the decision.</summary>
    private RequestTransition Move(string id, RequestState to, long? ownerId, string? owner, string? reason,
        ApprovedScope? approved = null)
    {
        var request = Get(id);
        if (!RequestStates.CanMove(request.State, to))
        {
            throw new AccessRequestException($"request {id}: cannot move from {request.State.ToDb()} to {to.ToDb()}");
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using (var cmd = Command(approved is null
            ? "UPDATE requests SET state = $state, updated_ms = $now WHERE id = $id AND state = $old"
            : """
              UPDATE requests SET state = $state, updated_ms = $now, approved_statement_sha256 = $sha, approved_cameras = $cameras,
                  approved_from_ms = $from, approved_to_ms = $to, strip_audio = $strip, release_expires_ms = $expires
              WHERE id = $id AND state = $old
              """))
        {
            cmd.Parameters.AddWithValue("$state", to.ToDb());
            cmd.Parameters.AddWithValue("$now", now);
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$old", request.State.ToDb());
            if (approved is not null)
            {
                cmd.Parameters.AddWithValue("$sha", approved.StatementSha256);
                cmd.Parameters.AddWithValue("$cameras", string.Join(",", approved.Cameras));
                cmd.Parameters.AddWithValue("$from", approved.From.ToUnixTimeMilliseconds());
                cmd.Parameters.AddWithValue("$to", approved.To.ToUnixTimeMilliseconds());
                cmd.Parameters.AddWithValue("$strip", approved.StripAudio ? 1 : 0);
                cmd.Parameters.AddWithValue("$expires", approved.ReleaseExpires.ToUnixTimeMilliseconds());
            }
            if (cmd.ExecuteNonQuery() != 1)
            {
                throw new AccessRequestException($"request {id}: changed concurrently; try again");
            }
        }
        AddDecision(id, request.State, to, ownerId, reason, now);
        return new RequestTransition(id, request.Digest, request.Request.Scope, request.State, to, owner, reason, DateTimeOffset.FromUnixTimeMilliseconds(now));
    }

    private void AddDecision(string id, RequestState? from, RequestState to, long? ownerId, string? reason, long now)
    {
        using var cmd = Command("""
            INSERT INTO request_decisions (request_id, from_state, to_state, owner_id, reason, decided_ms)
            VALUES ($id, $from, $to, $owner, $reason, $now)
            """);
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$from", Db(from?.ToDb()));
        cmd.Parameters.AddWithValue("$to", to.ToDb());
        cmd.Parameters.AddWithValue("$owner", (object?)ownerId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$reason", Db(reason));
        cmd.Parameters.AddWithValue("$now", now);
        cmd.ExecuteNonQuery();
    }

    private (long Id, string PublicKey) ActiveOwner(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var cmd = Command("SELECT id, minisign_public_key, removed_ms FROM owners WHERE name = $name");
        cmd.Parameters.AddWithValue("$name", name);
        using var reader = cmd.ExecuteReader();
        if (!reader.Read())
        {
            throw new AccessRequestException($"owner {JsonFields.Quote(name)}: not an owner of this installation");
        }
        if (!reader.IsDBNull(2))
        {
            throw new AccessRequestException($"owner {JsonFields.Quote(name)}: removed, and can no longer decide on requests");
        }
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static string? CheckReason(string? reason, bool required)
    {
        if (reason is null || string.IsNullOrWhiteSpace(reason))
        {
            return required ? throw new AccessRequestException("reason: required and must not be empty") : null;
        }
        if (reason.EnumerateRunes().Count() > MaxReasonLength)
        {
            throw new AccessRequestException($"reason: longer than the limit of {MaxReasonLength} characters");
        }
        // Reasons are shown in reports and may be multi-line; other control characters are refused.
        var withoutNewlines = reason.Replace("\n", "", StringComparison.Ordinal);
        if (JsonFields.BadCharacter(withoutNewlines) is { } bad)
        {
            throw new AccessRequestException($"reason: {bad}");
        }
        return reason;
    }
}
