using System.Text;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Json;
using HomeVault.Core.Signing;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Requests;

public sealed partial class RequestRepository
{
    /// <summary>
    /// Records an owner's minisign signature over an approval statement for a pending request. The statement must be
    /// canonical, match the recorded request and lie inside its scope; the signature must verify against the owner's
    /// public key from the owners table, or nothing is stored. When k distinct active owners (k = <see cref="Quorum"/>)
    /// have signed byte-identical statements, the request becomes approved (preserved for a preservation request) with
    /// that statement's scope. Signing the same statement again counts once.
    /// </summary>
    /// <exception cref="AccessRequestException">Wrong state, unknown or removed owner, bad statement, or a signature that does not verify.</exception>
    public ApprovalResult Approve(string id, string owner, ReadOnlySpan<byte> statementBytes, string signatureText)
    {
        ArgumentNullException.ThrowIfNull(signatureText);
        var statement = ApprovalStatement.Parse(statementBytes);
        var bytes = statementBytes.ToArray();
        return InTransaction(r => r.ApproveCore(id, owner, statement, bytes, signatureText));
    }

    /// <summary>Stored signatures for a request, in the order they were given.</summary>
    public IReadOnlyList<ApprovalRecord> Approvals(string id)
    {
        using var cmd = Command("""
            SELECT a.request_id, o.name, a.statement, a.statement_sha256, a.signature, a.signed_ms
            FROM request_approvals a JOIN owners o ON o.id = a.owner_id WHERE a.request_id = $id ORDER BY a.id
            """);
        cmd.Parameters.AddWithValue("$id", id);
        using var reader = cmd.ExecuteReader();
        var list = new List<ApprovalRecord>();
        while (reader.Read())
        {
            list.Add(new ApprovalRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }
        return list;
    }

    private ApprovalResult ApproveCore(string id, string owner, ApprovalStatement statement, byte[] bytes, string signatureText)
    {
        var request = Get(id);
        if (request.State != RequestState.Pending)
        {
            throw new AccessRequestException($"request {id}: is {request.State.ToDb()}, only a pending request can be approved");
        }
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (request.Request.LegalBasis.ExpiresOn is { } expires && expires < today)
        {
            throw new AccessRequestException(
                $"request {id}: its legal basis expired on {WireTime.Format(expires)}; it can be denied or expired, not approved");
        }
        statement.CheckAgainst(request, now);
        var (ownerId, publicKeyText) = ActiveOwner(owner);
        var verification = MinisignPublicKey.Parse(publicKeyText).Verify(bytes, signatureText);
        if (!verification.IsValid)
        {
            throw new AccessRequestException($"approval signature of {JsonFields.Quote(owner)}: {verification.Message}");
        }
        var statementSha = CanonicalJson.Sha256Hex(bytes);
        bool already;
        using (var cmd = Command("""
            INSERT INTO request_approvals (request_id, owner_id, statement, statement_sha256, signature, approved_cameras,
                approved_from_ms, approved_to_ms, strip_audio, release_expires_ms, signed_ms)
            VALUES ($id, $owner, $statement, $sha, $signature, $cameras, $from, $to, $strip, $expires, $now)
            ON CONFLICT (request_id, owner_id, statement_sha256) DO NOTHING
            """))
        {
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$owner", ownerId);
            cmd.Parameters.AddWithValue("$statement", Encoding.UTF8.GetString(bytes));
            cmd.Parameters.AddWithValue("$sha", statementSha);
            cmd.Parameters.AddWithValue("$signature", signatureText);
            cmd.Parameters.AddWithValue("$cameras", string.Join(",", statement.Cameras));
            cmd.Parameters.AddWithValue("$from", statement.From.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$to", statement.To.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$strip", statement.StripAudio ? 1 : 0);
            cmd.Parameters.AddWithValue("$expires", statement.ReleaseExpires.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            already = cmd.ExecuteNonQuery() == 0;
        }
        var quorum = Quorum();
        var signers = CountValidSigners(id, statementSha, bytes);
        if (signers < quorum)
        {
            return new ApprovalResult(id, request.Digest, owner, statementSha, already, signers, quorum, request.State, null, null);
        }
        var approved = new ApprovedScope(statement.Cameras, statement.From, statement.To, statement.StripAudio, statement.ReleaseExpires, statementSha);
        var target = request.IsPreservation ? RequestState.Preserved : RequestState.Approved;
        var reason = $"approved by {signers} of {quorum} required owner signatures on statement {statementSha}";
        var transition = Move(id, target, ownerId, owner, reason, approved);
        return new ApprovalResult(id, request.Digest, owner, statementSha, already, signers, quorum, target, approved, transition);
    }

    /// <summary>
    /// Distinct active owners whose stored signature over this exact statement verifies now against their key in the
    /// owners table. Re-verifying (rather than trusting the stored rows) means a removed owner or an edited row never counts.
    /// </summary>
    private int CountValidSigners(string id, string statementSha, byte[] statement)
    {
        using var cmd = Command("""
            SELECT a.owner_id, o.minisign_public_key, a.signature, a.statement
            FROM request_approvals a JOIN owners o ON o.id = a.owner_id
            WHERE a.request_id = $id AND a.statement_sha256 = $sha AND o.removed_ms IS NULL
            """);
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$sha", statementSha);
        using var reader = cmd.ExecuteReader();
        var owners = new HashSet<long>();
        while (reader.Read())
        {
            if (!Encoding.UTF8.GetBytes(reader.GetString(3)).AsSpan().SequenceEqual(statement))
            {
                continue;
            }
            var key = MinisignPublicKey.Parse(reader.GetString(1));
            if (key.Verify(statement, reader.GetString(2)).IsValid)
            {
                owners.Add(reader.GetInt64(0));
            }
        }
        return owners.Count;
    }
}
