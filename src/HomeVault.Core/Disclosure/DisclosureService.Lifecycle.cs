using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure;

public sealed partial class DisclosureService
{
    /// <summary>An owner (proving presence with their passphrase) refuses a pending request.</summary>
    public RequestTransition Deny(string requestId, string owner, ReadOnlySpan<byte> passphrase, string reason)
    {
        var q = _requests.Get(requestId);
        if (q.State != RequestState.Pending)
        {
            throw new ReleaseException($"request {q.Id} is {q.State.ToDb()}; only a pending request can be denied");
        }
        ProvePresence(owner, passphrase);
        var audit = Audit;
        using var tx = _db.BeginTransaction();
        var transition = _requests.Deny(q.Id, owner, reason, tx);
        audit.Append(new AuditEvent(owner, AuditActions.RequestDenied, Subject(q.Id), new Dictionary<string, string>
        {
            ["digest"] = transition.Digest,
            ["owner"] = owner,
            ["reason"] = transition.Reason!,
            ["from_state"] = transition.From.ToDb(),
        }), tx);
        audit.Checkpoint(tx);
        tx.Commit();
        return transition;
    }

    /// <summary>
    /// An owner withdraws an approval, a hold or a release (the warrant was quashed, the request withdrawn): the
    /// release's files are deleted, the request becomes revoked, and both are one audited step.
    /// </summary>
    public RequestTransition Revoke(string requestId, string owner, ReadOnlySpan<byte> passphrase, string reason)
    {
        var q = _requests.Get(requestId);
        var release = _releases.Find(q.Id);
        ProvePresence(owner, passphrase);
        var audit = Audit;
        using var tx = _db.BeginTransaction();
        var transition = _requests.Revoke(q.Id, owner, reason, tx);
        var deleted = false;
        if (release is { State: ReleaseState.Active })
        {
            _releases.End(q.Id, ReleaseState.Revoked, _time.GetUtcNow(), tx);
            DeleteFiles(release);
            deleted = true;
        }
        audit.Append(new AuditEvent(owner, AuditActions.RequestRevoked, Subject(q.Id), new Dictionary<string, string>
        {
            ["digest"] = transition.Digest,
            ["owner"] = owner,
            ["reason"] = transition.Reason!,
            ["from_state"] = transition.From.ToDb(),
            ["release_deleted"] = deleted ? "yes" : "no",
            ["downloads"] = (release?.Downloads ?? 0).ToString(CultureInfo.InvariantCulture),
        }), tx);
        audit.Checkpoint(tx);
        tx.Commit();
        return transition;
    }

    /// <summary>
    /// The recipient's download: the .tar of the release whose capability token this is, recorded as a
    /// release.downloaded leaf with a checkpoint. Null for an unknown, revoked or expired token.
    /// </summary>
    public ReleaseDownload? OpenDownload(string capabilityToken, string who)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (string.IsNullOrEmpty(capabilityToken) || capabilityToken.Length > 256)
        {
            return null;
        }
        // Looked up by the token's hash, so neither the query nor its timing depends on how much of a guess matches.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(capabilityToken));
        var hex = Convert.ToHexStringLower(hash);
        var release = _releases.FindByTokenHash(hex);
        if (release is null || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(release.TokenSha256), hash) ||
            release.State != ReleaseState.Active || release.Expires <= _time.GetUtcNow() || !File.Exists(release.TarPath))
        {
            return null;
        }
        var content = new FileStream(release.TarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var audit = Audit;
            using var tx = _db.BeginTransaction();
            _releases.CountDownload(release.RequestId, tx);
            audit.Append(new AuditEvent(who, AuditActions.ReleaseDownloaded, Subject(release.RequestId), new Dictionary<string, string>
            {
                ["manifest_sha256"] = release.ManifestSha256,
                ["download"] = (release.Downloads + 1).ToString(CultureInfo.InvariantCulture),
                ["bytes"] = content.Length.ToString(CultureInfo.InvariantCulture),
            }), tx);
            audit.Checkpoint(tx);
            tx.Commit();
            return new ReleaseDownload(release.RequestId, Path.GetFileName(release.TarPath), content.Length, content);
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    /// <summary>Deletes every active release past its expiry, each with a release.expired leaf; returns how many.</summary>
    public int ExpireDue()
    {
        var count = 0;
        foreach (var release in _releases.Due(_time.GetUtcNow()))
        {
            var audit = Audit;
            using var tx = _db.BeginTransaction();
            _releases.End(release.RequestId, ReleaseState.Expired, _time.GetUtcNow(), tx);
            var request = _requests.Get(release.RequestId, tx);
            if (RequestStates.CanMove(request.State, RequestState.Expired))
            {
                _requests.Expire(release.RequestId, "the release expired", tx);
            }
            audit.Append(new AuditEvent("system", AuditActions.ReleaseExpired, Subject(release.RequestId), new Dictionary<string, string>
            {
                ["manifest_sha256"] = release.ManifestSha256,
                ["expires"] = WireTime.Format(release.Expires),
                ["downloads"] = release.Downloads.ToString(CultureInfo.InvariantCulture),
            }), tx);
            audit.Checkpoint(tx);
            // Deleted inside the transaction: if the commit fails, the row stays active and the next run deletes again.
            DeleteFiles(release);
            tx.Commit();
            count++;
        }
        return count;
    }

    /// <summary>Every release, newest first (tokens are never listed).</summary>
    public IReadOnlyList<ReleaseSummary> ListReleases() =>
        _releases.List().Select(r => new ReleaseSummary(r.RequestId, r.State, r.Built, r.Expires, r.Ended, r.Clips, r.Bytes, r.Downloads, r.Directory, r.TarPath)).ToList();

    private static void DeleteFiles(ReleaseRecord release)
    {
        if (Directory.Exists(release.Directory))
        {
            Directory.Delete(release.Directory, recursive: true);
        }
        File.Delete(release.TarPath);
    }

    /// <summary>Unlocking the owner's signing key proves that this owner, not just someone at the console, decided.</summary>
    private void ProvePresence(string owner, ReadOnlySpan<byte> passphrase)
    {
        var chars = Encoding.UTF8.GetChars(passphrase.ToArray());
        try
        {
            using (_keys.UnlockSigningKey(owner, chars))
            {
            }
        }
        finally
        {
            Array.Clear(chars);
        }
    }
}
