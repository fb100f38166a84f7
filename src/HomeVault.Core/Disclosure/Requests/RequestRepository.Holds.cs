using Microsoft.Data.Sqlite;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Requests;

public sealed partial class RequestRepository
{
    // Holds use the *requested* scope even after owners narrowed their approval: the narrowing limits what is
    // disclosed, not what may be destroyed while a legal process is open.
    private const string HeldSql = """
        SELECT r.id, r.state, rc.camera, r.scope_from_ms, r.scope_to_ms
        FROM requests r JOIN request_cameras rc ON rc.request_id = r.id
        WHERE r.state IN ('pending', 'approved', 'preserved')
        """;

    /// <summary>
    /// Whether a clip of <paramref name="camera"/> spanning [start, end] overlaps the scope of any request that holds
    /// footage (pending, approved, preserved). Retention must not delete it while this is true.
    /// </summary>
    public bool IsHeld(string camera, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(camera);
        using var cmd = Command($"""
            SELECT EXISTS ({HeldSql} AND rc.camera = $camera AND r.scope_from_ms < $end AND r.scope_to_ms > $start)
            """);
        cmd.Parameters.AddWithValue("$camera", camera);
        cmd.Parameters.AddWithValue("$start", start.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$end", end.ToUnixTimeMilliseconds());
        return (long)cmd.ExecuteScalar()! == 1;
    }

    /// <summary>All held windows, by camera and start, for checking many clips at once.</summary>
    public IReadOnlyList<HeldWindow> HeldWindows()
    {
        using var cmd = Command(HeldSql + " ORDER BY rc.camera, r.scope_from_ms, r.id");
        using var reader = cmd.ExecuteReader();
        var list = new List<HeldWindow>();
        while (reader.Read())
        {
            list.Add(new HeldWindow(reader.GetString(0), RequestStates.FromDb(reader.GetString(1)), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }
        return list;
    }

    /// <summary>
    /// Pending requests whose legal basis expired (expiresOn before today, UTC). Reported, not changed: the caller
    /// decides whether to <see cref="Expire"/> them.
    /// </summary>
    public IReadOnlyList<StoredRequest> PendingWithExpiredLegalBasis()
    {
        var today = WireTime.Format(DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
        using var cmd = Command($"""
            SELECT {Columns} FROM requests
            WHERE state = 'pending' AND legal_expires_on IS NOT NULL AND legal_expires_on < $today
            ORDER BY received_ms, id
            """);
        cmd.Parameters.AddWithValue("$today", today);
        return ReadAll(cmd);
    }

    /// <summary>Approved or released requests whose release expiry has passed (their release must no longer be served).</summary>
    public IReadOnlyList<StoredRequest> ReleasesPastExpiry()
    {
        using var cmd = Command($"""
            SELECT {Columns} FROM requests
            WHERE state IN ('approved', 'released') AND release_expires_ms <= $now
            ORDER BY release_expires_ms, id
            """);
        cmd.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        return ReadAll(cmd);
    }
}
