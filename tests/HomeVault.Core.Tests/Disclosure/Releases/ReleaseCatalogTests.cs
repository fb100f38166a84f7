using Microsoft.Data.Sqlite;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Tests.Disclosure.Requests;

namespace HomeVault.Core.Tests.Disclosure.Releases;

/// <summary>The releases table (migration 0004) and the manifest format, without ffmpeg or footage.</summary>
public sealed class ReleaseCatalogTests
{
    private static ReleaseRecord Record(string id, DateTimeOffset built) => new(id, "/srv/r/" + id, "/srv/r/" + id + ".tar", new string('a', 64),
        new string('b', 64), built, built.AddDays(14), ReleaseState.Active, null, 3, 1234, 0, 7);

    [Fact]
    public void A_release_is_found_by_token_hash_expires_once_and_its_row_cannot_be_rewritten_or_deleted()
    {
        using var home = new Household(owners: 1);
        var request = home.Submit();
        var releases = new ReleaseRepository(home.Db);
        using (var tx = home.Db.BeginTransaction())
        {
            new ReleaseRepository(home.Db, tx).Add(Record(request.Id, TestRequests.Now));
            tx.Commit();
        }
        Assert.Equal(request.Id, releases.FindByTokenHash(new string('a', 64))!.RequestId);
        Assert.Null(releases.FindByTokenHash(new string('c', 64)));
        Assert.Empty(releases.Due(TestRequests.Now.AddDays(13)));
        Assert.Single(releases.Due(TestRequests.Now.AddDays(14)));

        using (var tx = home.Db.BeginTransaction())
        {
            var inTx = new ReleaseRepository(home.Db, tx);
            inTx.CountDownload(request.Id);
            inTx.End(request.Id, ReleaseState.Expired, TestRequests.Now.AddDays(14));
            Assert.Throws<ReleaseException>(() => inTx.End(request.Id, ReleaseState.Revoked, TestRequests.Now.AddDays(15)));
            Assert.Throws<ReleaseException>(() => inTx.CountDownload(request.Id));
            tx.Commit();
        }
        var ended = releases.Find(request.Id)!;
        Assert.Equal((ReleaseState.Expired, 1), (ended.State, ended.Downloads));
        Assert.Empty(releases.Due(TestRequests.Now.AddDays(30)));

        Assert.Contains("invalid release state transition", Assert.Throws<SqliteException>(() => home.Exec($"UPDATE releases SET state = 'active', ended_ms = NULL WHERE request_id = '{request.Id}'")).Message, StringComparison.Ordinal);
        Assert.Contains("immutable", Assert.Throws<SqliteException>(() => home.Exec($"UPDATE releases SET manifest_sha256 = '{new string('c', 64)}' WHERE request_id = '{request.Id}'")).Message, StringComparison.Ordinal);
        Assert.Contains("kept as the record", Assert.Throws<SqliteException>(() => home.Exec($"DELETE FROM releases WHERE request_id = '{request.Id}'")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_manifest_reads_back_what_was_written_and_names_a_broken_field()
    {
        var manifest = new ReleaseManifest("req_abcdefghijklmnopqrstuvwxyz", new string('d', 64), "{\"x\":\"<&>+\"}", new string('e', 64), ["alice", "bob"], 2,
            TestRequests.Recipient, ["drive", "front"], TestRequests.Now, TestRequests.Now.AddHours(1), true, TestRequests.Now.AddDays(14), TestRequests.Now.AddMinutes(5), "bob",
            [new ManifestOwner("alice", "RWQ1"), new ManifestOwner("bob", "RWQ2")], "homevault+01234567+AAAA", new string('f', 64),
            [new ManifestClip("clips/front/20261123T120000.500Z.mp4.age", "front", TestRequests.Now.AddMilliseconds(500), TestRequests.Now.AddSeconds(60), new string('1', 64), new string('2', 64), 42)]);
        var bytes = manifest.ToBytes();
        Assert.Contains("\"canonicalJson\": \"{\\\"x\\\":\\\"<&>+\\\"}\"", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var back = ReleaseManifest.Parse(bytes);
        Assert.Equal(bytes, back.ToBytes());
        Assert.Equal(manifest.Clips[0], back.Clips[0]);

        var broken = System.Text.Encoding.UTF8.GetString(bytes).Replace("\"quorum\": 2", "\"quorum\": 0", StringComparison.Ordinal);
        Assert.Equal("manifest.json: approval.quorum is not a whole number from 1 to 64",
            Assert.Throws<ReleaseException>(() => ReleaseManifest.Parse(System.Text.Encoding.UTF8.GetBytes(broken))).Message);
        var badHash = System.Text.Encoding.UTF8.GetString(bytes).Replace(new string('2', 64), "XYZ", StringComparison.Ordinal);
        Assert.Equal("manifest.json: clips[0].sha256 is not a lower-case SHA-256",
            Assert.Throws<ReleaseException>(() => ReleaseManifest.Parse(System.Text.Encoding.UTF8.GetBytes(badHash))).Message);
    }
}
