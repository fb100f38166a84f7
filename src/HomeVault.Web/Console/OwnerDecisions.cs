using System.Globalization;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.IO;
using HomeVault.Core.Keys;
using HomeVault.Core.Warrants;
using HomeVault.Web.Hosting;

namespace HomeVault.Web.Console;

/// <summary>
/// Approve and deny from the console, each proven with the owner's passphrase as at the CLI.
/// TEMPORARY: the same steps as `homevault requests approve|deny`; it goes away when the disclosure service
/// (Approve/Deny/Revoke, which also builds the release) is on main and the console calls that instead.
/// </summary>
internal static class OwnerDecisions
{
    /// <summary>The approval outcome, or the one-line reason it was refused.</summary>
    public static (ApprovalResult? Result, string? Refusal) Approve(WebCatalog catalog, string requestId, string owner, ReadOnlySpan<char> passphrase,
        IReadOnlyList<string> cameras, DateTimeOffset from, DateTimeOffset to, bool stripAudio, DateTimeOffset expires)
    {
        var now = catalog.Time.GetUtcNow();
        var q = catalog.Use((db, _) => new RequestRepository(db).Find(requestId));
        if (q is null || q.State != RequestState.Pending)
        {
            return (null, q is null ? "no such request" : $"request is {q.State.ToDb()}; only a pending request can be approved");
        }
        ApprovalStatement statement;
        try
        {
            statement = ApprovalStatement.Create(q, cameras, from, to, stripAudio, expires, now);
        }
        catch (AccessRequestException ex)
        {
            return (null, "cannot approve: " + string.Join("; ", ex.Problems));
        }
        var bytes = statement.ToBytes();
        string signature;
        try
        {
            using var key = new OwnerKeyStore(catalog.Data).UnlockSigningKey(owner, passphrase);
            signature = key.Sign(bytes, trustedComment: $"homevault approval {q.Id}").ToFileText();
        }
        catch (KeyStoreException)
        {
            return (null, "wrong passphrase");
        }
        var dir = Path.Combine(catalog.Data.Root, "requests", q.Id);
        var statementPath = Path.Combine(dir, $"approval-{statement.Sha256()[..16]}.txt");
        var result = catalog.Use((db, audit) =>
        {
            using var tx = db.BeginTransaction();
            var outcome = new RequestRepository(db).Approve(q.Id, owner, bytes, signature, tx);
            audit.Append(new AuditEvent(owner, AuditActions.RequestApproved, "request/" + q.Id, new Dictionary<string, string>
            {
                ["digest"] = outcome.RequestDigest,
                ["statement_sha256"] = outcome.StatementSha256,
                ["signer"] = owner,
                ["distinct_signers"] = outcome.DistinctSigners.ToString(CultureInfo.InvariantCulture),
                ["quorum"] = outcome.Quorum.ToString(CultureInfo.InvariantCulture),
                ["quorum_reached"] = outcome.QuorumReached ? "yes" : "no",
                ["state"] = outcome.State.ToDb(),
                ["cameras"] = string.Join(",", statement.Cameras),
                ["from"] = WireTime.Format(statement.From),
                ["to"] = WireTime.Format(statement.To),
                ["strip_audio"] = statement.StripAudio ? "yes" : "no",
                ["release_expires"] = WireTime.Format(statement.ReleaseExpires),
                ["via"] = "console",
            }), tx);
            audit.Checkpoint(tx);
            Directory.CreateDirectory(dir);
            Rewrite(statementPath, bytes);
            Rewrite($"{statementPath}.{owner}.minisig", Encoding.UTF8.GetBytes(signature));
            tx.Commit();
            return outcome;
        });
        return (result, null);
    }

    /// <summary>A co-signer writes the same statement again; their signature replaces a repeated one of their own.</summary>
    private static void Rewrite(string path, byte[] content)
    {
        File.Delete(path);
        Durable.CreateNew(path, content);
    }

    /// <summary>Null on success, else the one-line reason.</summary>
    public static string? Deny(WebCatalog catalog, string requestId, string owner, ReadOnlySpan<char> passphrase, string reason)
    {
        var q = catalog.Use((db, _) => new RequestRepository(db).Find(requestId));
        if (q is null || q.State != RequestState.Pending)
        {
            return q is null ? "no such request" : $"request is {q.State.ToDb()}; only a pending request can be denied";
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > RequestRepository.MaxReasonLength)
        {
            return $"a reason of 1..{RequestRepository.MaxReasonLength} characters is required";
        }
        try
        {
            // Unlocking the signing key proves this owner, not just whoever holds the session, decided.
            using (new OwnerKeyStore(catalog.Data).UnlockSigningKey(owner, passphrase))
            {
            }
        }
        catch (KeyStoreException)
        {
            return "wrong passphrase";
        }
        catalog.Use((db, audit) =>
        {
            using var tx = db.BeginTransaction();
            var t = new RequestRepository(db).Deny(q.Id, owner, reason, tx);
            audit.Append(new AuditEvent(owner, AuditActions.RequestDenied, "request/" + q.Id, new Dictionary<string, string>
            {
                ["digest"] = t.Digest,
                ["owner"] = owner,
                ["reason"] = t.Reason!,
                ["from_state"] = t.From.ToDb(),
                ["via"] = "console",
            }), tx);
            audit.Checkpoint(tx);
            tx.Commit();
            return t;
        });
        return null;
    }
}
