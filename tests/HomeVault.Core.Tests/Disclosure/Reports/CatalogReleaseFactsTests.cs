using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Reports;

namespace HomeVault.Core.Tests.Disclosure.Reports;

public sealed class CatalogReleaseFactsTests : IDisposable
{
    private readonly ReportHousehold _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Reads_clips_and_bytes_from_the_catalog_and_minutes_only_from_the_recorded_manifest()
    {
        _h.Populate();
        var r1 = _h.Home.Repo.Get(_h.Ids["r1"].Id);
        var a = r1.Approved!;
        var hex = new string('a', 64);
        var manifest = new ReleaseManifest(r1.Id, r1.Digest, r1.CanonicalJson, a.StatementSha256, ["owner1"], 1,
            r1.Request.Requester.Recipient, a.Cameras, a.From, a.To, false, a.ReleaseExpires, a.From.AddDays(4), "owner1",
            [new ManifestOwner("owner1", "RWQ")], "homevault+00000000+AAAA", hex,
            [
                new ManifestClip("clips/front/1.mp4.age", "front", a.From, a.From.AddMinutes(50), hex, hex, 1000),
                new ManifestClip("clips/drive/1.mp4.age", "drive", a.From.AddMinutes(10), a.From.AddMinutes(100.5), hex, hex, 2345),
            ]);
        var dir = Path.Combine(_h.Home.Dir, "release-r1");
        Directory.CreateDirectory(dir);
        var bytes = manifest.ToBytes();
        File.WriteAllBytes(Path.Combine(dir, ReleaseFiles.Manifest), bytes);
        using (var tx = _h.Home.Db.BeginTransaction())
        {
            new ReleaseRepository(_h.Home.Db, tx).Add(new ReleaseRecord(r1.Id, dir, dir + ".tar", hex, ReleaseManifest.Sha256Hex(bytes),
                a.From.AddDays(4), a.ReleaseExpires, ReleaseState.Active, null, 2, 3345, 0, 0));
            tx.Commit();
        }

        var report = _h.Compute();

        Assert.Equal(140.5, report.Released.ClipMinutes);
        Assert.Equal(1, report.Released.ClipMinutesKnownFor);
        Assert.Equal(2, report.Released.ReleasedClips);
        Assert.Equal(3345, report.Released.ReleasedBytes);
        // A manifest that is not the one recorded at build is not believed; the catalog's counts still stand.
        File.AppendAllText(Path.Combine(dir, ReleaseFiles.Manifest), " ");
        var altered = new CatalogReleaseFacts(new ReleaseRepository(_h.Home.Db)).Footage(r1.Id);
        Assert.Equal(new ReleasedFootage(2, 3345, null), altered);
        Assert.Null(new CatalogReleaseFacts(new ReleaseRepository(_h.Home.Db)).Footage(_h.Ids["r2"].Id));
    }
}
