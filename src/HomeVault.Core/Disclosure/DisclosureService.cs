using System.Globalization;
using System.Text;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Keys;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure;

/// <summary>
/// Disclosure as one service for the CLI and the web console: an owner's approval (and, when it completes the
/// quorum, the release package), denial, revocation, the recipient's audited download, expiry and the list of
/// releases. Every state change commits together with its audit leaf and a checkpoint. Passphrases are UTF-8,
/// used for the one act and never kept.
/// </summary>
public sealed partial class DisclosureService : IDisposable
{
    private readonly DataDirectory _data;
    private readonly CatalogConnection _catalog;
    private readonly TimeProvider _time;
    private readonly IReleaseMedia? _media;
    private readonly OwnerKeyStore _keys;

    /// <param name="media">Writes released clips; without it (expiry, listing, downloads) an approval that completes the quorum cannot build its release.</param>
    public DisclosureService(DataDirectory data, SqliteConnection db, TimeProvider? time = null, IReleaseMedia? media = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _time = time ?? TimeProvider.System;
        _catalog = new CatalogConnection(data, db ?? throw new ArgumentNullException(nameof(db)), _time);
        _media = media;
        _keys = new OwnerKeyStore(data);
    }

    /// <summary>
    /// Signs the approval statement as <see cref="ApproveCommand.Owner"/>. When this signature completes the quorum
    /// of a non-preservation request, the release is built (decrypting with this owner's identity, for this act only)
    /// and the request becomes released, all or nothing: if the build fails, not even the signature is recorded.
    /// </summary>
    /// <exception cref="AccessRequestException">Unknown request, a scope wider than requested, a bad statement.</exception>
    /// <exception cref="KeyStoreException">Unknown owner or wrong passphrase.</exception>
    /// <exception cref="ReleaseException">The request is not pending, or the release cannot be built.</exception>
    public ApproveOutcome Approve(ApproveCommand command, ReadOnlySpan<byte> passphrase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var chars = Encoding.UTF8.GetChars(passphrase.ToArray());
        try
        {
            return ApproveCore(command, chars, ct);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private ApproveOutcome ApproveCore(ApproveCommand c, char[] passphrase, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        StoredRequest q;
        bool unbuilt;
        using (var read = _catalog.Read())
        {
            q = read.Requests.Get(c.RequestId);
            unbuilt = q.State == RequestState.Approved && read.Releases.Find(q.Id) is null;
        }
        if (unbuilt)
        {
            return BuildApproved(q, c.Owner, passphrase, c.OutDirectory, now, ct);
        }
        if (q.State != RequestState.Pending)
        {
            throw new ReleaseException($"request {q.Id} is {q.State.ToDb()}; only a pending request can be approved");
        }
        var scope = q.Request.Scope;
        var statement = ApprovalStatement.Create(q, c.Cameras ?? scope.Cameras, c.From ?? scope.From, c.To ?? scope.To, c.StripAudio,
            c.Expires ?? ApprovalStatement.DefaultExpiry(now), now);
        var bytes = statement.ToBytes();
        using var key = _keys.UnlockSigningKey(c.Owner, passphrase);
        var signature = key.Sign(bytes, trustedComment: $"homevault approval {q.Id}").ToFileText();
        var sha = statement.Sha256();
        var dir = Path.Combine(_data.Root, "requests", q.Id);
        var statementPath = Path.Combine(dir, $"approval-{sha[..16]}.txt");
        var signaturePath = $"{statementPath}.{c.Owner}.minisig";

        // A dry run says whether this signature completes the quorum; the slow build then runs outside any transaction.
        ApprovalResult preview;
        using (var dry = _catalog.Write())
        {
            preview = dry.Requests.Approve(q.Id, c.Owner, bytes, signature);
        }
        ReleasePackage? package = null;
        string? notBuilt = null;
        if (preview.QuorumReached && !q.IsPreservation)
        {
            using var identity = _keys.UnlockIdentity(c.Owner, passphrase);
            try
            {
                package = BuildPackage(q, statement, bytes, (c.Owner, signature), preview.Quorum, identity, key, c.OutDirectory, now, ct);
            }
            catch (ReleaseException ex) when (ex.InnerException is AgeException { Kind: AgeErrorKind.NoIdentityMatched })
            {
                // The footage predates this owner: the approval still counts, and an owner who can open it builds the release.
                notBuilt = ex.Message;
            }
        }
        try
        {
            using var work = _catalog.Write();
            var outcome = work.Requests.Approve(q.Id, c.Owner, bytes, signature);
            work.Append(ApprovedEvent(outcome, statement, c.Owner));
            ReleaseInfo? release = null;
            if (package is not null)
            {
                if (!outcome.QuorumReached)
                {
                    throw new ReleaseException($"request {q.Id}: its approvals changed while the release was being built; approve again");
                }
                release = package.Commit(work, c.Owner, _time.GetUtcNow());
            }
            work.Checkpoint();
            // Files before the commit: a failure here rolls the approval back rather than leaving an unsigned record.
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(statementPath, bytes);
            File.WriteAllText(signaturePath, signature);
            work.Commit();
            var state = release is not null ? RequestState.Released : outcome.State;
            return new ApproveOutcome(q.Id, c.Owner, statementPath, signaturePath, outcome.StatementSha256, outcome.AlreadySigned,
                outcome.DistinctSigners, outcome.Quorum, state, release, notBuilt);
        }
        catch
        {
            package?.Discard();
            throw;
        }
    }

    private ReleasePackage BuildPackage(StoredRequest q, ApprovalStatement statement, byte[] bytes, (string Owner, string Signature) mine,
        int quorum, X25519Identity identity, MinisignKey key, string? outDirectory, DateTimeOffset now, CancellationToken ct)
    {
        IReadOnlyList<Owner> owners;
        IReadOnlyList<ApprovalRecord> approvals;
        List<(string, Clip)> clips;
        string logKey;
        using (var read = _catalog.Read())
        {
            owners = read.Owners.List();
            approvals = read.Requests.Approvals(q.Id);
            clips = statement.Cameras
                .SelectMany(camera => read.Clips.Query(camera, statement.From, statement.To))
                .Select(clip => (_data.ResolveInside(clip.Path), clip))
                .ToList();
            logKey = read.Audit.VerifierKey;
        }
        // Earlier owners' signatures over this exact statement, re-verified against their current keys, then this one.
        var signatures = new List<(string Owner, string Signature)>();
        foreach (var a in approvals.Where(a => a.StatementSha256 == statement.Sha256() && a.Owner != mine.Owner))
        {
            if (owners.FirstOrDefault(o => o.Name == a.Owner) is { } o && signatures.All(s => s.Owner != a.Owner) &&
                MinisignPublicKey.Parse(o.MinisignPublicKey).Verify(bytes, a.Signature).IsValid)
            {
                signatures.Add((a.Owner, a.Signature));
            }
        }
        signatures.Add(mine);
        var inputs = new ReleasePackage.Inputs(q, statement, bytes, signatures, quorum, owners, logKey, clips, now);
        var finalDir = Path.Combine(outDirectory is { } o2 ? Path.GetFullPath(o2) : _data.ReleasesDir, q.Id);
        var media = _media ?? throw new ReleaseException($"request {q.Id}: this process cannot write released clips (no media side wired)");
        var releaser = media.Open([identity], X25519Recipient.Parse(statement.Recipient));
        return ReleasePackage.Build(inputs, finalDir, releaser, key, mine.Owner, ct);
    }

    /// <summary>
    /// Builds the release of a request approved without one (the quorum's last signer could not open the footage), as an
    /// owner who signed the approved statement; their signature over it is already among the stored ones.
    /// </summary>
    private ApproveOutcome BuildApproved(StoredRequest q, string owner, char[] passphrase, string? outDirectory, DateTimeOffset now, CancellationToken ct)
    {
        var approved = q.Approved!;
        ApprovalRecord? signed;
        int quorum;
        using (var read = _catalog.Read())
        {
            signed = read.Requests.Approvals(q.Id).FirstOrDefault(a => a.StatementSha256 == approved.StatementSha256 && a.Owner == owner);
            quorum = signed is null ? 0 : read.Requests.Quorum();
        }
        var mine = signed
            ?? throw new ReleaseException($"request {q.Id} is approved but its release is not built; only an owner who signed the approval can build it, and {owner} did not");
        var bytes = Encoding.UTF8.GetBytes(mine.Statement);
        var statement = ApprovalStatement.Parse(bytes);
        using var key = _keys.UnlockSigningKey(owner, passphrase);
        ReleasePackage package;
        using (var identity = _keys.UnlockIdentity(owner, passphrase))
        {
            package = BuildPackage(q, statement, bytes, (owner, mine.Signature), quorum, identity, key, outDirectory, now, ct);
        }
        try
        {
            using var work = _catalog.Write();
            var release = package.Commit(work, owner, _time.GetUtcNow());
            work.Checkpoint();
            work.Commit();
            var dir = Path.Combine(_data.Root, "requests", q.Id);
            var statementPath = Path.Combine(dir, $"approval-{approved.StatementSha256[..16]}.txt");
            return new ApproveOutcome(q.Id, owner, statementPath, $"{statementPath}.{owner}.minisig", approved.StatementSha256, true,
                package.Manifest.Signers.Count, package.Manifest.Quorum, RequestState.Released, release);
        }
        catch
        {
            package.Discard();
            throw;
        }
    }

    private static AuditEvent ApprovedEvent(ApprovalResult outcome, ApprovalStatement statement, string signer) =>
        new(signer, AuditActions.RequestApproved, Subject(outcome.RequestId), new Dictionary<string, string>
        {
            ["digest"] = outcome.RequestDigest,
            ["statement_sha256"] = outcome.StatementSha256,
            ["signer"] = signer,
            ["distinct_signers"] = outcome.DistinctSigners.ToString(CultureInfo.InvariantCulture),
            ["quorum"] = outcome.Quorum.ToString(CultureInfo.InvariantCulture),
            ["quorum_reached"] = outcome.QuorumReached ? "yes" : "no",
            ["state"] = outcome.State.ToDb(),
            ["cameras"] = string.Join(",", statement.Cameras),
            ["from"] = WireTime.Format(statement.From),
            ["to"] = WireTime.Format(statement.To),
            ["strip_audio"] = statement.StripAudio ? "yes" : "no",
            ["release_expires"] = WireTime.Format(statement.ReleaseExpires),
        });

    private static string Subject(string id) => "request/" + id;

    public void Dispose() => _catalog.Dispose();
}
