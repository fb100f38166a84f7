using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure;

public sealed partial class DisclosureService
{
    /// <summary>An owner (proving presence with their passphrase) refuses a pending request.</summary>
    public RequestTransition Deny(string requestId, string owner, ReadOnlySpan<byte> passphrase, string reason)
    {
        StoredRequest q;
        using (var read = _catalog.Read())
        {
            q = read.Requests.Get(requestId);
        }
        if (q.State != RequestState.Pending)
        {
            throw new ReleaseException($"request {q.Id} is {q.State.ToDb()}; only a pending request can be denied");
        }
        ProvePresence(owner, passphrase);
        using var work = _catalog.Write();
        var transition = work.Requests.Deny(q.Id, owner, reason);
        work.Append(new AuditEvent(owner, AuditActions.RequestDenied, Subject(q.Id), new Dictionary<string, string>
        {
            ["digest"] = transition.Digest,
            ["owner"] = owner,
            ["reason"] = transition.Reason!,
            ["from_state"] = transition.From.ToDb(),
        }));
        work.Checkpoint();
        work.Commit();
        return transition;
    }

    /// <summary>
    /// An owner withdraws an approval, a hold or a release (the warrant was quashed, the request withdrawn): the
    /// release's files are deleted, the request becomes revoked, and both are one audited step.
    /// </summary>
    public RequestTransition Revoke(string requestId, string owner, ReadOnlySpan<byte> passphrase, string reason)
    {
        StoredRequest q;
        ReleaseRecord? release;
        using (var read = _catalog.Read())
        {
            q = read.Requests.Get(requestId);
            release = read.Releases.Find(q.Id);
        }
        ProvePresence(owner, passphrase);
        using var work = _catalog.Write();
        var transition = work.Requests.Revoke(q.Id, owner, reason);
        var deleted = false;
        if (release is { State: ReleaseState.Active })
        {
            work.Releases.End(q.Id, ReleaseState.Revoked, _time.GetUtcNow());
            DeleteFiles(release);
            deleted = true;
        }
        work.Append(new AuditEvent(owner, AuditActions.RequestRevoked, Subject(q.Id), new Dictionary<string, string>
        {
            ["digest"] = transition.Digest,
            ["owner"] = owner,
            ["reason"] = transition.Reason!,
            ["from_state"] = transition.From.ToDb(),
            ["release_deleted"] = deleted ? "yes" : "no",
            ["downloads"] = (release?.Downloads ?? 0).ToString(CultureInfo.InvariantCulture),
        }));
        work.Checkpoint();
        work.Commit();
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
        ReleaseRecord? release;
        using (var read = _catalog.Read())
        {
            release = read.Releases.FindByTokenHash(hex);
        }
        if (release is null || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(release.TokenSha256), hash) ||
            release.State != ReleaseState.Active || release.Expires <= _time.GetUtcNow() || !File.Exists(release.TarPath))
        {
            return null;
        }
        var content = new FileStream(release.TarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            using var work = _catalog.Write();
            work.Releases.CountDownload(release.RequestId);
            work.Append(new AuditEvent(who, AuditActions.ReleaseDownloaded, Subject(release.RequestId), new Dictionary<string, string>
            {
                ["manifest_sha256"] = release.ManifestSha256,
                ["download"] = (release.Downloads + 1).ToString(CultureInfo.InvariantCulture),
                ["bytes"] = content.Length.ToString(CultureInfo.InvariantCulture),
            }));
            work.Checkpoint();
            work.Commit();
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
        IReadOnlyList<ReleaseRecord> due;
        using (var read = _catalog.Read())
        {
            due = read.Releases.Due(_time.GetUtcNow());
        }
        foreach (var release in due)
        {
            using var work = _catalog.Write();
            work.Releases.End(release.RequestId, ReleaseState.Expired, _time.GetUtcNow());
            var request = work.Requests.Get(release.RequestId);
            if (RequestStates.CanMove(request.State, RequestState.Expired))
            {
                work.Requests.Expire(release.RequestId, "the release expired");
            }
            work.Append(new AuditEvent("system", AuditActions.ReleaseExpired, Subject(release.RequestId), new Dictionary<string, string>
            {
                ["manifest_sha256"] = release.ManifestSha256,
                ["expires"] = WireTime.Format(release.Expires),
                ["downloads"] = release.Downloads.ToString(CultureInfo.InvariantCulture),
            }));
            work.Checkpoint();
            // Deleted inside the transaction: if the commit fails, the row stays active and the next run deletes again.
            DeleteFiles(release);
            work.Commit();
            count++;
        }
        return count;
    }

    /// <summary>Every release, newest first (tokens are never listed).</summary>
    public IReadOnlyList<ReleaseSummary> ListReleases()
    {
        using var read = _catalog.Read();
        return read.Releases.List().Select(r => new ReleaseSummary(r.RequestId, r.State, r.Built, r.Expires, r.Ended, r.Clips, r.Bytes, r.Downloads, r.Directory, r.TarPath)).ToList();
    }

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
