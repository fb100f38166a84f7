using HomeVault.Core.Audit;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Keys;
using HomeVault.Core.Tests.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Disclosure;

/// <summary>
/// Core's disclosure service on a real data directory (catalog file, passphrase-sealed owner keys, audit log). The
/// clips are not video, so the media step is <see cref="WholeClipMedia"/>; trimming, audio and the real media side are
/// tested in HomeVault.Recording.Tests.
/// </summary>
public sealed class DisclosureServiceTests
{
    private static readonly DateTimeOffset Evening = DisclosureHome.Evening;

    private static readonly WholeClipMedia Media = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two clips of camera "front" inside the requested window (20:10 and 21:50), and the request for it.</summary>
    private static StoredRequest Footage(DisclosureHome home)
    {
        ClipTestVault.Seal(home.Store, "front", Evening.AddMinutes(10), Evening.AddMinutes(11));
        ClipTestVault.Seal(home.Store, "front", Evening.AddMinutes(110), Evening.AddMinutes(111));
        return home.Submit("front");
    }

    private static ApproveCommand Whole(StoredRequest r, string owner, DateTimeOffset? expires = null) =>
        new(r.Id, owner, null, null, null, false, expires, null);

    private static List<string> Actions(IEnumerable<AuditEntry> entries) => entries.Select(e => e.Event.Action).ToList();

    [Fact]
    public void An_approval_that_completes_the_quorum_commits_signature_release_and_their_leaves_together()
    {
        using var home = new DisclosureHome();
        var r = Footage(home);
        var before = home.LogSize();
        using var service = home.Service(Media);

        // Narrowed to the first hour: only the 20:10 clip is released.
        var outcome = service.Approve(new ApproveCommand(r.Id, "owner1", ["front"], Evening, Evening.AddHours(1), false, null, null), DisclosureHome.Pass, Ct);

        Assert.Equal((RequestState.Released, 1, 1, false), (outcome.State, outcome.DistinctSigners, outcome.Quorum, outcome.AlreadySigned));
        var release = Assert.IsType<ReleaseInfo>(outcome.Release);
        Assert.Equal(1, release.Clips);
        Assert.Equal(RequestState.Released, home.Request(r.Id).State);
        var statement = File.ReadAllBytes(outcome.StatementPath);
        Assert.True(home.OwnerKey("owner1").Verify(statement, File.ReadAllText(outcome.SignaturePath)).IsValid);
        Assert.Equal(outcome.StatementSha256, home.Request(r.Id).Approved!.StatementSha256);

        var leaves = home.LogFrom(before);
        Assert.Equal([AuditActions.RequestApproved, AuditActions.ReleaseBuilt], Actions(leaves));
        Assert.Equal(("owner1", "yes", "1"), (leaves[0].Event.Details["signer"], leaves[0].Event.Details["quorum_reached"], leaves[1].Event.Details["clips"]));
        Assert.Equal(release.ManifestSha256, leaves[1].Event.Details["manifest_sha256"]);
        Assert.Equal(leaves[1].Index, release.AuditIndex);
        Assert.Equal(home.LogSize(), home.Audit.Log.LatestCheckpoint()!.Size);

        var listed = Assert.Single(service.ListReleases());
        Assert.Equal((r.Id, ReleaseState.Active, 1, 0, release.TarPath), (listed.RequestId, listed.State, listed.Clips, listed.Downloads, listed.TarPath));
        var verified = ReleaseVerifier.Verify(release.TarPath, [home.OwnerKey("owner1")], [home.Recipient]);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal((1, 1, "owner1"), (verified.ClipsHashed, verified.ClipsDecrypted, Assert.Single(verified.Signers)));
        home.AssertLogVerifies();
    }

    [Fact]
    public void A_quorum_of_k_needs_k_distinct_owners_and_only_the_kth_signature_builds_the_release()
    {
        using var home = new DisclosureHome(owners: 3, quorum: 2);
        var r = Footage(home);
        var before = home.LogSize();
        using var service = home.Service(Media);

        var first = service.Approve(Whole(r, "owner1"), DisclosureHome.Pass, Ct);
        var again = service.Approve(Whole(r, "owner1"), DisclosureHome.Pass, Ct);

        Assert.Equal((RequestState.Pending, 1, 2, false), (first.State, first.DistinctSigners, first.Quorum, first.AlreadySigned));
        Assert.Equal((RequestState.Pending, 1, true), (again.State, again.DistinctSigners, again.AlreadySigned));
        Assert.Null(first.Release);
        Assert.Null(again.Release);
        Assert.Empty(service.ListReleases());
        Assert.False(Directory.Exists(Path.Combine(home.Data.ReleasesDir, r.Id)));
        Assert.All(home.LogFrom(before), e => Assert.Equal((AuditActions.RequestApproved, "no"), (e.Event.Action, e.Event.Details["quorum_reached"])));

        // Someone who is not an owner adds nothing.
        Assert.Throws<KeyStoreException>(() => service.Approve(Whole(r, "mallory"), DisclosureHome.Pass, Ct));
        Assert.Equal(before + 2, home.LogSize());

        var second = service.Approve(Whole(r, "owner2"), DisclosureHome.Pass, Ct);

        Assert.Equal((RequestState.Released, 2), (second.State, second.DistinctSigners));
        var release = Assert.IsType<ReleaseInfo>(second.Release);
        Assert.Equal(2, release.Clips);
        var verified = ReleaseVerifier.Verify(release.TarPath, [home.OwnerKey("owner2")], [home.Recipient]);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(["owner1", "owner2"], verified.Signers.Order(StringComparer.Ordinal));
        Assert.Equal(2, verified.Manifest!.Quorum);
        Assert.Equal([AuditActions.RequestApproved, AuditActions.RequestApproved, AuditActions.RequestApproved, AuditActions.ReleaseBuilt], Actions(home.LogFrom(before)));

        var late = Assert.Throws<ReleaseException>(() => service.Approve(Whole(r, "owner3"), DisclosureHome.Pass, Ct));
        Assert.Equal($"request {r.Id} is released; only a pending request can be approved", late.Message);
    }

    [Fact]
    public void A_denial_needs_the_owners_passphrase_and_a_request_once_approved_cannot_be_denied()
    {
        using var home = new DisclosureHome();
        var approved = Footage(home);
        var denied = home.Submit("front");
        using var service = home.Service(Media);
        var before = home.LogSize();

        var wrong = Assert.Throws<KeyStoreException>(() => service.Deny(denied.Id, "owner1", "not the passphrase"u8, "no basis"));
        Assert.Equal("wrong passphrase for owner 'owner1'", wrong.Message);
        Assert.Equal((before, RequestState.Pending), (home.LogSize(), home.Request(denied.Id).State));

        var transition = service.Deny(denied.Id, "owner1", DisclosureHome.Pass, "the warrant names another address");

        Assert.Equal((RequestState.Pending, RequestState.Denied, "owner1"), (transition.From, transition.To, transition.Owner));
        Assert.Equal(RequestState.Denied, home.Request(denied.Id).State);
        var leaf = Assert.Single(home.LogFrom(before));
        Assert.Equal((AuditActions.RequestDenied, "request/" + denied.Id, "the warrant names another address", denied.Digest),
            (leaf.Event.Action, leaf.Event.Subject, leaf.Event.Details["reason"], leaf.Event.Details["digest"]));
        Assert.Equal(home.LogSize(), home.Audit.Log.LatestCheckpoint()!.Size);
        Assert.Equal($"request {denied.Id} is denied; only a pending request can be approved",
            Assert.Throws<ReleaseException>(() => service.Approve(Whole(denied, "owner1"), DisclosureHome.Pass, Ct)).Message);

        var release = service.Approve(Whole(approved, "owner1"), DisclosureHome.Pass, Ct).Release!;
        var afterApproval = home.LogSize();

        var refused = Assert.Throws<ReleaseException>(() => service.Deny(approved.Id, "owner1", DisclosureHome.Pass, "changed my mind"));

        Assert.Equal($"request {approved.Id} is released; only a pending request can be denied", refused.Message);
        Assert.Equal(afterApproval, home.LogSize());
        Assert.Equal(RequestState.Released, home.Request(approved.Id).State);
        Assert.Equal(ReleaseState.Active, service.ListReleases().Single(x => x.RequestId == approved.Id).State);
        Assert.True(File.Exists(release.TarPath));
    }

    [Fact]
    public void Revoking_a_release_deletes_its_files_and_ends_its_link_in_one_audited_step()
    {
        using var home = new DisclosureHome();
        var r = Footage(home);
        using var service = home.Service(Media);
        var release = service.Approve(Whole(r, "owner1"), DisclosureHome.Pass, Ct).Release!;
        using (var download = service.OpenDownload(release.CapabilityToken, "spd"))
        {
            Assert.NotNull(download);
        }
        var before = home.LogSize();

        Assert.Throws<KeyStoreException>(() => service.Revoke(r.Id, "owner1", "not the passphrase"u8, "quashed"));
        Assert.Equal((before, RequestState.Released), (home.LogSize(), home.Request(r.Id).State));
        Assert.True(File.Exists(release.TarPath));

        var transition = service.Revoke(r.Id, "owner1", DisclosureHome.Pass, "the warrant was quashed");

        Assert.Equal((RequestState.Released, RequestState.Revoked), (transition.From, transition.To));
        Assert.Equal(RequestState.Revoked, home.Request(r.Id).State);
        Assert.False(File.Exists(release.TarPath));
        Assert.False(Directory.Exists(release.Directory));
        var listed = Assert.Single(service.ListReleases());
        Assert.Equal((ReleaseState.Revoked, DisclosureHome.Now), (listed.State, listed.Ended));
        var leaf = Assert.Single(home.LogFrom(before));
        Assert.Equal((AuditActions.RequestRevoked, "yes", "1", "the warrant was quashed"),
            (leaf.Event.Action, leaf.Event.Details["release_deleted"], leaf.Event.Details["downloads"], leaf.Event.Details["reason"]));

        Assert.Null(service.OpenDownload(release.CapabilityToken, "spd"));
        Assert.ThrowsAny<UserError>(() => service.Revoke(r.Id, "owner1", DisclosureHome.Pass, "again"));
        Assert.Equal(before + 1, home.LogSize());
        home.AssertLogVerifies();
    }

    [Fact]
    public void Downloads_are_counted_and_audited_and_an_expired_release_is_refused_then_deleted_with_its_leaf()
    {
        using var home = new DisclosureHome();
        var r = Footage(home);
        using var service = home.Service(Media);
        var release = service.Approve(Whole(r, "owner1", expires: DisclosureHome.Now.AddDays(2)), DisclosureHome.Pass, Ct).Release!;
        var tar = File.ReadAllBytes(release.TarPath);
        var before = home.LogSize();

        using (var download = service.OpenDownload(release.CapabilityToken, "spd"))
        {
            Assert.NotNull(download);
            using var copy = new MemoryStream();
            download.Content.CopyTo(copy);
            Assert.Equal(tar, copy.ToArray());
            Assert.Equal(($"{r.Id}.tar", tar.LongLength), (download.FileName, download.Length));
        }
        var leaf = Assert.Single(home.LogFrom(before));
        Assert.Equal((AuditActions.ReleaseDownloaded, "spd", "1", release.ManifestSha256),
            (leaf.Event.Action, leaf.Event.Actor, leaf.Event.Details["download"], leaf.Event.Details["manifest_sha256"]));
        Assert.Equal(1, Assert.Single(service.ListReleases()).Downloads);

        // A wrong or mangled token opens nothing and adds nothing to the log.
        var token = release.CapabilityToken;
        Assert.Null(service.OpenDownload(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), "spd"));
        Assert.Null(service.OpenDownload("", "spd"));
        Assert.Null(service.OpenDownload(new string('x', 300), "spd"));
        Assert.Equal(before + 1, home.LogSize());

        home.Time.Now = release.Expires;
        Assert.Null(service.OpenDownload(token, "spd"));
        Assert.Equal(before + 1, home.LogSize());

        Assert.Equal(1, service.ExpireDue());

        Assert.False(File.Exists(release.TarPath));
        Assert.False(Directory.Exists(release.Directory));
        Assert.Equal(ReleaseState.Expired, Assert.Single(service.ListReleases()).State);
        Assert.Equal(RequestState.Expired, home.Request(r.Id).State);
        var expired = Assert.Single(home.LogFrom(before + 1));
        Assert.Equal((AuditActions.ReleaseExpired, "1"), (expired.Event.Action, expired.Event.Details["downloads"]));
        Assert.Equal(0, service.ExpireDue());
        Assert.Equal(before + 2, home.LogSize());
        home.AssertLogVerifies();
    }

    [Fact]
    public void Without_a_media_side_the_completing_approval_is_refused_and_nothing_is_recorded()
    {
        using var home = new DisclosureHome();
        var r = Footage(home);
        using var service = home.Service(media: null);
        var before = home.LogSize();

        var ex = Assert.Throws<ReleaseException>(() => service.Approve(Whole(r, "owner1"), DisclosureHome.Pass, Ct));

        Assert.Equal($"request {r.Id}: this process cannot write released clips (no media side wired)", ex.Message);
        Assert.Equal((before, RequestState.Pending), (home.LogSize(), home.Request(r.Id).State));
        Assert.False(Directory.Exists(Path.Combine(home.Data.Root, "requests", r.Id)), "an approval statement was written");
        Assert.False(Directory.Exists(home.Data.ReleasesDir) && Directory.EnumerateFileSystemEntries(home.Data.ReleasesDir).Any(), "release files were left");
    }
}
