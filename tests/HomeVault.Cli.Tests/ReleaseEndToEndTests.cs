using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// Requests answered with real releases of real recorded footage: narrowed and audio-stripped, checked by
/// `homevault verify` and by stock minisign, sha256sum, age and ffprobe; quorum; revocation; download and expiry.
/// </summary>
public sealed class ReleaseEndToEndTests(RecordedFootage footage) : IClassFixture<RecordedFootage>
{
    private static DateTimeOffset Second(DateTimeOffset t) => new(t.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    [Fact]
    public void A_narrowed_release_without_audio_verifies_with_homevault_and_stock_tools_and_revoking_deletes_it()
    {
        var (dir, data, pass) = footage.Copy();
        var (key, recipient) = ReleaseTestKit.NewRecipient(dir);
        var id = ReleaseTestKit.Submit(dir, data, recipient, footage.From, footage.To, "front", "door");
        var from = Second(footage.From.AddSeconds(5));
        var to = Second(footage.To.AddSeconds(-5));
        var approve = Homevault.Run("requests", "approve", id, "--from", RecordedFootage.Iso(from), "--to", RecordedFootage.Iso(to), "--strip-audio",
            "--data", data, "--passphrase-file", pass);
        Assert.True(approve.Exit == 0, approve.Stderr);
        var release = approve.LastLine;
        Assert.Equal(Path.Combine(data, "releases", id), release);
        Assert.Contains($"tar: {release}.tar", approve.Stdout, StringComparison.Ordinal);

        foreach (var target in new[] { release, release + ".tar" })
        {
            var verify = Homevault.Run("verify", target, "--owner-key", Path.Combine(data, "keys", "alice.minisign.pub"), "-i", key);
            Assert.True(verify.Exit == 0, verify.Stderr);
            Assert.Equal("OK", verify.LastLine);
            Assert.Contains("decrypted, plaintext hashes match", verify.Stdout, StringComparison.Ordinal);
        }

        // Stock tools alone.
        var minisign = TestEnv.Run(TestEnv.Tool("minisign"), ["-Vm", Path.Combine(release, "manifest.json"), "-p", Path.Combine(data, "keys", "alice.minisign.pub")]);
        Assert.True(minisign.Exit == 0, minisign.Stderr);
        var approval = TestEnv.Run(TestEnv.Tool("minisign"), ["-Vm", Path.Combine(release, "approval.txt"), "-x", Path.Combine(release, "approval.txt.alice.minisig"), "-p", Path.Combine(data, "keys", "alice.minisign.pub")]);
        Assert.True(approval.Exit == 0, approval.Stderr);
        var sums = TestEnv.Run("/bin/sh", ["-c", $"cd '{release}' && {TestEnv.Tool("sha256sum")} -c SHA256SUMS"]);
        Assert.True(sums.Exit == 0, sums.Stderr);

        var manifestBytes = File.ReadAllBytes(Path.Combine(release, "manifest.json"));
        using var manifest = JsonDocument.Parse(manifestBytes);
        var clips = manifest.RootElement.GetProperty("clips").EnumerateArray().ToList();
        Assert.Contains(clips, c => c.GetProperty("camera").GetString() == "front");
        Assert.Contains(clips, c => c.GetProperty("camera").GetString() == "door");
        foreach (var clip in clips)
        {
            var start = RecordedFootage.Time(clip.GetProperty("start").GetString()!);
            var end = RecordedFootage.Time(clip.GetProperty("end").GetString()!);
            Assert.True(start >= from && end <= to, $"{start:O}..{end:O} is outside {from:O}..{to:O}");
            var plain = Path.Combine("/dev/shm", $"hv-release-{Guid.NewGuid():N}.mp4");
            try
            {
                var age = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", key, "-o", plain, Path.Combine(release, clip.GetProperty("path").GetString()!)]);
                Assert.True(age.Exit == 0, age.Stderr);
                Assert.Equal(clip.GetProperty("plaintextSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(plain))));
                var (streams, frames) = ReleaseTestKit.Probe(plain);
                Assert.Equal(["video"], streams);
                // The stated times are the footage's: 15 fps over the clip's span, to within a frame or two.
                Assert.InRange(frames / 15.0, (end - start).TotalSeconds - 0.15, (end - start).TotalSeconds + 0.15);
                var decode = TestEnv.Run(TestEnv.Tool("ffmpeg"), ["-v", "error", "-i", plain, "-f", "null", "-"]);
                Assert.True(decode.Exit == 0 && decode.Stderr.Length == 0, decode.Stderr);
            }
            finally
            {
                File.Delete(plain);
            }
        }
        // The door camera did record audio: stripping removed something that was there.
        var door = JsonDocument.Parse(Homevault.Run("clips", "list", "--json", "--camera", "door", "--data", data).Stdout).RootElement[1];
        var original = Path.Combine("/dev/shm", $"hv-original-{Guid.NewGuid():N}.mp4");
        try
        {
            var d = Homevault.Run("decrypt", "--data", data, "--passphrase-file", pass, "-o", original, Path.Combine(data, door.GetProperty("path").GetString()!));
            Assert.True(d.Exit == 0, d.Stderr);
            Assert.Contains("audio", ReleaseTestKit.Probe(original).Streams);
        }
        finally
        {
            File.Delete(original);
        }

        var built = ReleaseTestKit.Audit(data).Single(e => e.GetProperty("action").GetString() == "release.built");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), built.GetProperty("details").GetProperty("manifest_sha256").GetString());
        ReleaseTestKit.AuditVerifies(data);

        var revoke = Homevault.Run("releases", "revoke", id, "--reason", "warrant quashed", "--data", data, "--passphrase-file", pass);
        Assert.True(revoke.Exit == 0, revoke.Stderr);
        Assert.False(Directory.Exists(release));
        Assert.False(File.Exists(release + ".tar"));
        var revoked = ReleaseTestKit.Audit(data).Single(e => e.GetProperty("action").GetString() == "request.revoked").GetProperty("details");
        Assert.Equal("yes", revoked.GetProperty("release_deleted").GetString());
        Assert.Contains(" revoked ", Homevault.Run("releases", "list", "--data", data).Stdout, StringComparison.Ordinal);
        ReleaseTestKit.AuditVerifies(data);
    }

    [Fact]
    public void Every_kind_of_alteration_fails_verification_naming_the_file()
    {
        var (dir, data, pass) = footage.Copy();
        var (key, recipient) = ReleaseTestKit.NewRecipient(dir);
        var id = ReleaseTestKit.Submit(dir, data, recipient, footage.From, footage.To, "front");
        var approve = Homevault.Run("requests", "approve", id, "--from", RecordedFootage.Iso(Second(footage.From.AddSeconds(3))), "--data", data, "--passphrase-file", pass);
        Assert.True(approve.Exit == 0, approve.Stderr);
        var release = approve.LastLine;
        var ownerKey = Path.Combine(data, "keys", "alice.minisign.pub");
        var firstClip = Directory.GetFiles(Path.Combine(release, "clips", "front")).Order(StringComparer.Ordinal).First();
        var clipName = Path.GetRelativePath(release, firstClip);

        Homevault.Result VerifyAltered(Action<string> alter, params string[] extra)
        {
            var copy = Path.Combine(TestEnv.NewTempDir("hvtamper"), id);
            Assert.Equal(0, TestEnv.Run("/bin/cp", ["-a", release, copy]).Exit);
            alter(copy);
            return Homevault.Run(["verify", copy, "--owner-key", ownerKey, .. extra]);
        }
        static void Flip(string path)
        {
            var bytes = File.ReadAllBytes(path);
            // A byte in the second half: inside the signature line, a hash, the key or the payload, never only a comment.
            bytes[bytes.Length * 3 / 4] ^= 0x01;
            File.WriteAllBytes(path, bytes);
        }

        Assert.Equal(0, VerifyAltered(_ => { }, "-i", key).Exit);
        foreach (var file in new[]
        {
            "manifest.json", "manifest.json.minisig", "approval.txt", "approval.txt.alice.minisig", "owners/alice.pub", "audit/entry.json",
            "audit/release.tlog-proof", "audit/log-key.txt", "SHA256SUMS", "README.txt", clipName,
        })
        {
            var r = VerifyAltered(copy => Flip(Path.Combine(copy, file)));
            Assert.Equal(1, r.Exit);
            var expected = file == "manifest.json.minisig" ? "manifest.json" : file; // a broken signature is the manifest's failure
            Assert.StartsWith($"homevault: verify: {expected}", r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        }
        var added = VerifyAltered(copy => File.WriteAllText(Path.Combine(copy, "clips", "extra.mp4.age"), "x"));
        Assert.StartsWith("homevault: verify: clips/extra.mp4.age: unexpected file", added.Stderr, StringComparison.Ordinal);
        var removed = VerifyAltered(copy => File.Delete(Path.Combine(copy, clipName)));
        Assert.StartsWith($"homevault: verify: {clipName}: missing", removed.Stderr, StringComparison.Ordinal);
        var clipHash = VerifyAltered(copy => Flip(Path.Combine(copy, clipName)));
        Assert.Contains("ciphertext SHA-256 does not match the manifest", clipHash.Stderr, StringComparison.Ordinal);

        // Someone else's owner key, pinned or swapped into the package, is refused.
        var otherDir = TestEnv.NewTempDir("hvother");
        var gen = TestEnv.Run(TestEnv.Tool("minisign"), ["-G", "-W", "-p", Path.Combine(otherDir, "other.pub"), "-s", Path.Combine(otherDir, "other.key")]);
        Assert.True(gen.Exit == 0, gen.Stderr);
        var wrongPin = Homevault.Run("verify", release, "--owner-key", Path.Combine(otherDir, "other.pub"));
        Assert.Equal(1, wrongPin.Exit);
        Assert.Contains("which is not a pinned owner key", wrongPin.Stderr, StringComparison.Ordinal);
        var swapped = VerifyAltered(copy => File.Copy(Path.Combine(otherDir, "other.pub"), Path.Combine(copy, "owners", "alice.pub"), overwrite: true));
        Assert.StartsWith("homevault: verify: owners/alice.pub: does not match the key the signed manifest names", swapped.Stderr, StringComparison.Ordinal);
        // Another recipient's identity cannot open the clips.
        var (otherIdentity, _) = ReleaseTestKit.NewRecipient(otherDir);
        var wrongIdentity = VerifyAltered(_ => { }, "-i", otherIdentity);
        Assert.StartsWith($"homevault: verify: {clipName}: cannot decrypt", wrongIdentity.Stderr, StringComparison.Ordinal);
        var truncatedTar = Path.Combine(otherDir, "cut.tar");
        File.WriteAllBytes(truncatedTar, File.ReadAllBytes(release + ".tar")[..4096]);
        Assert.Equal(1, Homevault.Run("verify", truncatedTar, "--owner-key", ownerKey).Exit);
    }

    [Fact]
    public void An_extra_empty_directory_fails_verification_as_a_directory_and_as_a_tar()
    {
        var (dir, data, pass) = footage.Copy();
        var (_, recipient) = ReleaseTestKit.NewRecipient(dir);
        var id = ReleaseTestKit.Submit(dir, data, recipient, footage.From, footage.To, "front");
        var approve = Homevault.Run("requests", "approve", id, "--data", data, "--passphrase-file", pass);
        Assert.True(approve.Exit == 0, approve.Stderr);
        var release = approve.LastLine;
        var ownerKey = Path.Combine(data, "keys", "alice.minisign.pub");

        foreach (var extra in new[] { "notes", "clips/garage", "audit/old/older" })
        {
            var copy = Path.Combine(TestEnv.NewTempDir("hvemptydir"), id);
            Assert.Equal(0, TestEnv.Run("/bin/cp", ["-a", release, copy]).Exit);
            Directory.CreateDirectory(Path.Combine(copy, extra));
            var asDirectory = Homevault.Run("verify", copy, "--owner-key", ownerKey);
            Assert.Equal(1, asDirectory.Exit);
            var first = extra.Split('/')[0] == "audit" ? "audit/old" : extra; // the outermost extra directory is named
            Assert.Equal($"homevault: verify: {first}/: unexpected directory (not part of the signed manifest)\n", asDirectory.Stderr);

            // The same package packed by stock tar (which writes an entry for every directory, empty or not).
            var tar = copy + ".tar";
            var packed = TestEnv.Run("/bin/tar", ["-cf", tar, "-C", Path.GetDirectoryName(copy)!, id]);
            Assert.True(packed.Exit == 0, packed.Stderr);
            var asTar = Homevault.Run("verify", tar, "--owner-key", ownerKey);
            Assert.Equal(1, asTar.Exit);
            Assert.Equal($"homevault: verify: {first}/: unexpected directory (not part of the signed manifest)\n", asTar.Stderr);
        }
        Assert.Equal(0, Homevault.Run("verify", release, "--owner-key", ownerKey).Exit);
        Assert.Equal(0, Homevault.Run("verify", release + ".tar", "--owner-key", ownerKey).Exit);
    }

    [Fact]
    public void With_a_quorum_of_two_only_the_second_signature_builds_the_release()
    {
        var (dir, data, pass) = footage.Copy();
        var bobPass = Path.Combine(dir, "bob");
        File.WriteAllText(bobPass, "bob's own long passphrase\n");
        Assert.Equal(0, Homevault.Run("owners", "add", "bob", "--data", data, "--passphrase-file", bobPass).Exit);
        var q = TestEnv.Run(TestEnv.Tool("sqlite3"), [Path.Combine(data, "catalog.db"), "INSERT INTO settings(key, value) VALUES ('approval_quorum', '2')"]);
        Assert.True(q.Exit == 0, q.Stderr);
        var (key, recipient) = ReleaseTestKit.NewRecipient(dir);
        var id = ReleaseTestKit.Submit(dir, data, recipient, footage.From, footage.To, "front");

        // Bob joined after the recording, so the footage is sealed to alice only: bob signs first, alice completes.
        var first = Homevault.Run("requests", "approve", id, "--owner", "bob", "--data", data, "--passphrase-file", bobPass);
        Assert.True(first.Exit == 0, first.Stderr);
        Assert.Contains("awaiting 1 more owner signature(s)", first.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data, "releases", id)));
        Assert.DoesNotContain(ReleaseTestKit.Audit(data), e => e.GetProperty("action").GetString() == "release.built");

        var second = Homevault.Run("requests", "approve", id, "--owner", "alice", "--data", data, "--passphrase-file", pass);
        Assert.True(second.Exit == 0, second.Stderr);
        Assert.Equal(Path.Combine(data, "releases", id), second.LastLine);
        var verify = Homevault.Run("verify", second.LastLine, "--owner-key", Path.Combine(data, "keys", "bob.minisign.pub"),
            "--owner-key", Path.Combine(data, "keys", "alice.minisign.pub"), "-i", key);
        Assert.True(verify.Exit == 0, verify.Stderr);
        Assert.Contains("approved by bob, alice (2 of quorum 2); manifest signed by alice", verify.Stdout, StringComparison.Ordinal);

        // The other order: bob completes the quorum but cannot open footage sealed before he joined. The approval
        // stands without a release, and alice, who signed it, builds the release by approving again.
        var other = ReleaseTestKit.Submit(dir, data, recipient, footage.From, footage.To, "front");
        Assert.Equal(0, Homevault.Run("requests", "approve", other, "--owner", "alice", "--data", data, "--passphrase-file", pass).Exit);
        var completes = Homevault.Run("requests", "approve", other, "--owner", "bob", "--data", data, "--passphrase-file", bobPass);
        Assert.True(completes.Exit == 0, completes.Stderr);
        Assert.Contains("release not built: clip ", completes.Stdout, StringComparison.Ordinal);
        Assert.Contains("is not sealed to the approving owner", completes.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data, "releases", other)));
        Assert.Equal("approved", Encoding.UTF8.GetString(TestEnv.Run(TestEnv.Tool("sqlite3"), [Path.Combine(data, "catalog.db"), $"SELECT state FROM requests WHERE id = '{other}'"]).Stdout).Trim());
        Assert.Equal(1, Homevault.Run("requests", "approve", other, "--owner", "bob", "--data", data, "--passphrase-file", bobPass).Exit);
        var builds = Homevault.Run("requests", "approve", other, "--owner", "alice", "--data", data, "--passphrase-file", pass);
        Assert.True(builds.Exit == 0, builds.Stderr);
        Assert.Equal(Path.Combine(data, "releases", other), builds.LastLine);
        var verifyOther = Homevault.Run("verify", builds.LastLine, "--owner-key", Path.Combine(data, "keys", "alice.minisign.pub"), "-i", key);
        Assert.True(verifyOther.Exit == 0, verifyOther.Stderr);
        Assert.Contains("approved by bob, alice (2 of quorum 2); manifest signed by alice", verifyOther.Stdout, StringComparison.Ordinal);
        ReleaseTestKit.AuditVerifies(data);
    }

    [Fact]
    public void Downloads_are_audited_bad_tokens_refused_and_expired_releases_deleted()
    {
        var (dir, data, pass) = footage.Copy();
        var (_, recipient) = ReleaseTestKit.NewRecipient(dir);
        var id = ReleaseTestKit.Submit(dir, data, recipient, footage.From, footage.To, "door");
        var expires = DateTime.UtcNow.Date.AddDays(2);
        var approve = Homevault.Run("requests", "approve", id, "--expires", expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            "--data", data, "--passphrase-file", pass);
        Assert.True(approve.Exit == 0, approve.Stderr);
        var token = ReleaseTestKit.Token(approve);
        var release = approve.LastLine;

        var time = new ManualTime(DateTimeOffset.UtcNow);
        using (var db = CatalogDatabase.Open(Path.Combine(data, "catalog.db")))
        using (var disclosure = new DisclosureService(new DataDirectory(data), db, time))
        {
            Assert.Null(disclosure.OpenDownload("hvr_not-a-token", "springfield"));
            Assert.Null(disclosure.OpenDownload(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), "springfield"));
            using (var download = disclosure.OpenDownload(token, "springfield"))
            {
                Assert.NotNull(download);
                using var copy = new MemoryStream();
                download.Content.CopyTo(copy);
                Assert.Equal(File.ReadAllBytes(release + ".tar"), copy.ToArray());
                Assert.Equal(copy.Length, download.Length);
                Assert.Equal(id + ".tar", download.FileName);
            }
            Assert.Equal(0, disclosure.ExpireDue());
            time.Now = new DateTimeOffset(expires, TimeSpan.Zero).AddSeconds(1);
            Assert.Null(disclosure.OpenDownload(token, "springfield"));
            Assert.Equal(1, disclosure.ExpireDue());
            Assert.Equal(0, disclosure.ExpireDue());
            var listed = Assert.Single(disclosure.ListReleases());
            Assert.Equal(ReleaseState.Expired, listed.State);
            Assert.Equal(1, listed.Downloads);
        }
        Assert.False(Directory.Exists(release));
        Assert.False(File.Exists(release + ".tar"));
        var log = ReleaseTestKit.Audit(data);
        var downloaded = Assert.Single(log, e => e.GetProperty("action").GetString() == "release.downloaded");
        Assert.Equal("springfield", downloaded.GetProperty("actor").GetString());
        Assert.Single(log, e => e.GetProperty("action").GetString() == "release.expired");
        Assert.Equal("expired", Encoding.UTF8.GetString(TestEnv.Run(TestEnv.Tool("sqlite3"), [Path.Combine(data, "catalog.db"), $"SELECT state FROM requests WHERE id = '{id}'"]).Stdout).Trim());
        ReleaseTestKit.AuditVerifies(data);
    }
}
