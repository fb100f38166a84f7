using System.Globalization;
using HomeVault.Core.Catalog;
using HomeVault.Core.Json;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// Access requests in the catalog. Bound to a unit of work's transaction (<see cref="Catalog.CatalogWork"/>), a change
/// commits with its audit leaf; without one, each state-changing method commits its own. Each returns what
/// an audit entry needs (request id, digest, scope, who and why).
/// </summary>
public sealed partial class RequestRepository(SqliteConnection connection, TimeProvider? timeProvider = null, SqliteTransaction? transaction = null)
{
    /// <summary>Settings key of the approval quorum k (distinct active owners whose signatures are needed).</summary>
    public const string QuorumSetting = "approval_quorum";

    private const string Columns = """
        id, state, received_ms, updated_ms, canonical_json, digest, requester_organization, requester_contact,
        requester_recipient, legal_type, legal_reference, legal_issued_by, legal_issued_on, legal_expires_on,
        scope_from_ms, scope_to_ms, purpose, document_sha256, document_bytes, document_path,
        approved_statement_sha256, approved_cameras, approved_from_ms, approved_to_ms, strip_audio, release_expires_ms,
        (SELECT group_concat(camera, ',') FROM (SELECT camera FROM request_cameras rc WHERE rc.request_id = requests.id ORDER BY camera))
        """;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Records a validated request as pending. <paramref name="id"/> defaults to a fresh <see cref="RequestId.New"/>.</summary>
    public StoredRequest Add(AccessRequest request, RequestDocument? document = null, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        id ??= RequestId.New();
        RequestId.ThrowIfInvalid(id);
        var canonical = request.ToCanonicalJson();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var lb = request.LegalBasis;
        return InTransaction(r =>
        {
            using (var cmd = r.Command("""
                INSERT INTO requests (id, state, received_ms, updated_ms, canonical_json, digest, requester_organization,
                    requester_contact, requester_recipient, legal_type, legal_reference, legal_issued_by, legal_issued_on,
                    legal_expires_on, scope_from_ms, scope_to_ms, purpose, document_sha256, document_bytes, document_path)
                VALUES ($id, 'pending', $now, $now, $json, $digest, $org, $contact, $recipient, $type, $ref, $by, $on,
                    $expires, $from, $to, $purpose, $docsha, $docbytes, $docpath)
                """))
            {
                cmd.Parameters.AddWithValue("$id", id);
                cmd.Parameters.AddWithValue("$now", now);
                cmd.Parameters.AddWithValue("$json", System.Text.Encoding.UTF8.GetString(canonical));
                cmd.Parameters.AddWithValue("$digest", CanonicalJson.Sha256Hex(canonical));
                cmd.Parameters.AddWithValue("$org", request.Requester.Organization);
                cmd.Parameters.AddWithValue("$contact", request.Requester.Contact);
                cmd.Parameters.AddWithValue("$recipient", request.Requester.Recipient);
                cmd.Parameters.AddWithValue("$type", lb.Type.ToWireName());
                cmd.Parameters.AddWithValue("$ref", Db(lb.Reference));
                cmd.Parameters.AddWithValue("$by", Db(lb.IssuedBy));
                cmd.Parameters.AddWithValue("$on", Db(lb.IssuedOn is { } i ? WireTime.Format(i) : null));
                cmd.Parameters.AddWithValue("$expires", Db(lb.ExpiresOn is { } e ? WireTime.Format(e) : null));
                cmd.Parameters.AddWithValue("$from", request.Scope.From.ToUnixTimeMilliseconds());
                cmd.Parameters.AddWithValue("$to", request.Scope.To.ToUnixTimeMilliseconds());
                cmd.Parameters.AddWithValue("$purpose", request.Purpose);
                cmd.Parameters.AddWithValue("$docsha", Db(document?.Sha256));
                cmd.Parameters.AddWithValue("$docbytes", (object?)document?.Bytes ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$docpath", Db(document?.Path));
                cmd.ExecuteNonQuery();
            }
            foreach (var camera in request.Scope.Cameras)
            {
                using var cmd = r.Command("INSERT INTO request_cameras (request_id, camera) VALUES ($id, $camera)");
                cmd.Parameters.AddWithValue("$id", id);
                cmd.Parameters.AddWithValue("$camera", camera);
                cmd.ExecuteNonQuery();
            }
            r.AddDecision(id, null, RequestState.Pending, null, null, now);
            return r.Get(id);
        });
    }

    public StoredRequest? Find(string id)
    {
        using var cmd = Command($"SELECT {Columns} FROM requests WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", id);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <exception cref="AccessRequestException">No request has this id.</exception>
    public StoredRequest Get(string id) =>
        Find(id) ?? throw new AccessRequestException($"request {JsonFields.Quote(id ?? "")}: not found");

    /// <summary>Requests (optionally in one state), newest first.</summary>
    public IReadOnlyList<StoredRequest> List(RequestState? state = null)
    {
        using var cmd = Command($"SELECT {Columns} FROM requests WHERE ($state IS NULL OR state = $state) ORDER BY received_ms DESC, id");
        cmd.Parameters.AddWithValue("$state", Db(state?.ToDb()));
        return ReadAll(cmd);
    }

    /// <summary>One page of all requests, newest first, and how many there are in all (the console's inbox).</summary>
    public (IReadOnlyList<StoredRequest> Page, long Total) Page(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var count = Command("SELECT count(*) FROM requests");
        var total = (long)count.ExecuteScalar()!;
        using var cmd = Command($"SELECT {Columns} FROM requests ORDER BY received_ms DESC, id LIMIT $limit OFFSET $offset");
        cmd.Parameters.AddWithValue("$limit", limit);
        cmd.Parameters.AddWithValue("$offset", offset);
        return (ReadAll(cmd), total);
    }

    /// <summary>Requests with this digest (the same request submitted more than once).</summary>
    public IReadOnlyList<StoredRequest> FindByDigest(string digest)
    {
        using var cmd = Command($"SELECT {Columns} FROM requests WHERE digest = $digest ORDER BY received_ms, id");
        cmd.Parameters.AddWithValue("$digest", digest);
        return ReadAll(cmd);
    }

    /// <summary>The approval quorum k from the settings table (default 1).</summary>
    public int Quorum()
    {
        using var cmd = Command("SELECT value FROM settings WHERE key = $key");
        cmd.Parameters.AddWithValue("$key", QuorumSetting);
        var value = cmd.ExecuteScalar() as string;
        if (value is null)
        {
            return 1;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 64
            ? k
            : throw new CatalogException($"setting {QuorumSetting} = '{value}' is not a whole number from 1 to 64");
    }

    public void SetQuorum(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, 64);
        using var cmd = Command("INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        cmd.Parameters.AddWithValue("$key", QuorumSetting);
        cmd.Parameters.AddWithValue("$value", k.ToString(CultureInfo.InvariantCulture));
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        return cmd;
    }

    /// <summary>Runs <paramref name="action"/> on this repository's transaction, or, without one, on a repository bound to a transaction of its own that commits.</summary>
    private T InTransaction<T>(Func<RequestRepository, T> action)
    {
        if (transaction is not null)
        {
            return action(this);
        }
        using var own = connection.BeginTransaction();
        var result = action(new RequestRepository(connection, _time, own));
        own.Commit();
        return result;
    }

    private static object Db(string? value) => (object?)value ?? DBNull.Value;

    private static List<StoredRequest> ReadAll(SqliteCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var list = new List<StoredRequest>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }
        return list;
    }

    private static StoredRequest Read(SqliteDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateTimeOffset Ms(int i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        DateOnly? Date(int i) => Text(i) is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var id = r.GetString(0);
        if (!LegalBasisTypes.TryParse(r.GetString(9), out var type))
        {
            throw new CatalogException($"request {id}: unknown legal basis type in the catalog");
        }
        var request = new AccessRequest(
            new Requester(r.GetString(6), r.GetString(7), r.GetString(8)),
            new LegalBasis(type, Text(10), Text(11), Date(12), Date(13)),
            new RequestScope((Text(26) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), Ms(14), Ms(15)),
            r.GetString(16));
        var canonical = r.GetString(4);
        var digest = r.GetString(5);
        // The columns are what code reads; the canonical JSON is what owners signed. They must agree.
        if (System.Text.Encoding.UTF8.GetString(request.ToCanonicalJson()) != canonical || CanonicalJson.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(canonical)) != digest)
        {
            throw new CatalogException($"request {id}: stored fields do not match its canonical JSON and digest (catalog altered)");
        }
        var document = Text(17) is { } sha ? new RequestDocument(sha, r.GetInt64(18), r.GetString(19)) : null;
        var approved = Text(20) is { } statementSha
            ? new ApprovedScope(r.GetString(21).Split(','), Ms(22), Ms(23), r.GetInt64(24) == 1, Ms(25), statementSha)
            : null;
        return new StoredRequest(id, RequestStates.FromDb(r.GetString(1)), Ms(2), Ms(3), request, canonical, digest, document, approved);
    }
}
