using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Disclosure;
using HomeVault.Core.Json;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using HomeVault.Recording.ReleasedClips;

namespace HomeVault.Cli.Commands;

/// <summary>
/// The demo's last act, the reason HomeVault exists: a sample warrant request for the footage just recorded, the
/// owner's narrowed approval, the release it builds, and the recipient's verification (also decrypting).
/// </summary>
internal static class DemoDisclosure
{
    public static void Run(Installation vault, string owner, char[] passphrase, string workDir, Action<string> step)
    {
        IReadOnlyList<Clip> clips;
        using (var read = vault.Catalog.Read())
        {
            clips = read.Clips.Query();
        }
        var from = new DateTimeOffset(clips.Min(c => c.Start).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var to = new DateTimeOffset((clips.Max(c => c.End).UtcTicks / TimeSpan.TicksPerSecond + 1) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var wait = to - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait); // a request may only ask for footage that exists
        }

        // The requester's key pair, as a police department would make with age-keygen.
        using var recipient = X25519Identity.Generate();
        var recipientKey = Path.Combine(workDir, "demo-recipient.key");
        File.WriteAllText(recipientKey, IdentityFile.Format(recipient, DateTimeOffset.UtcNow));
        File.SetUnixFileMode(recipientKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var cameras = clips.Select(c => c.Camera).Distinct().Order(StringComparer.Ordinal).ToList();
        step($"8. A sample search-warrant request from the Springfield Police Department for {string.Join(" and ", cameras)}, {Wire(from)} to {Wire(to)}");
        var json = new JsonObject
        {
            ["requester"] = new JsonObject { ["organization"] = "Springfield Police Department", ["contact"] = "records@springfield.example", ["recipient"] = recipient.Recipient.ToString() },
            ["legalBasis"] = new JsonObject
            {
                ["type"] = "search-warrant", ["reference"] = "SW-2026-0142", ["issuedBy"] = "Springfield District Court",
                ["issuedOn"] = WireTime.Format(DateOnly.FromDateTime(DateTime.UtcNow)), ["expiresOn"] = WireTime.Format(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30))),
            },
            ["scope"] = new JsonObject { ["cameras"] = new JsonArray([.. cameras.Select(c => JsonValue.Create(c))]), ["from"] = WireTime.Format(from), ["to"] = WireTime.Format(to) },
            ["purpose"] = "Vehicle break-in reported on Elm Street",
        };
        IReadOnlyList<string> known;
        using (var read = vault.Catalog.Read())
        {
            known = read.Cameras.ListNames();
        }
        var request = new AccessRequestValidator(known).Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        var stored = new RequestIntake(vault.Data, vault.Catalog).Submit(request, null, "cli");
        Console.Out.WriteLine($"   {stored.Id}: pending; its scope is on legal hold");

        // The owner narrows it: one camera, the middle half of the window, no audio.
        var quarter = TimeSpan.FromSeconds(Math.Floor((to - from).TotalSeconds / 4));
        var narrowFrom = from + quarter;
        var narrowTo = to - quarter;
        step($"9. The owner approves it narrowed to {cameras[0]}, {Wire(narrowFrom)} to {Wire(narrowTo)}, audio stripped; the signature completes the quorum, so the release is built");
        ReleaseInfo release;
        var bytes = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            using var disclosure = new DisclosureService(vault.Data, vault.Db, media: new ReleaseMedia());
            var outcome = disclosure.Approve(new ApproveCommand(stored.Id, owner, [cameras[0]], narrowFrom, narrowTo, true, null, Path.Combine(workDir, "releases")), bytes, CancellationToken.None);
            release = outcome.Release ?? throw new UserError("the demo approval built no release");
        }
        finally
        {
            Array.Clear(bytes);
        }
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {release.Directory} (and .tar): {release.Clips} clip(s), {release.Bytes} bytes, encrypted to the requester only, expires {Wire(release.Expires)}"));
        foreach (var file in Directory.EnumerateFiles(release.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Console.Out.WriteLine("     " + Path.GetRelativePath(release.Directory, file));
        }

        step("10. The requester verifies it: owner signatures, quorum, scope, hashes, the audit proof, and (with their key) every clip's plaintext");
        var ownerKey = MinisignPublicKey.Parse(File.ReadAllText(vault.Data.OwnerMinisignPublicKeyPath(owner)));
        var plain = ReleaseVerifier.Verify(release.Directory, [ownerKey]);
        var decrypted = ReleaseVerifier.Verify(release.TarPath, [ownerKey], [recipient]);
        Console.Out.WriteLine(plain.Ok ? $"   homevault verify {release.Directory}: OK ({plain.ClipsHashed} clips, checkpoint size {plain.CheckpointSize})" : "   FAILED: " + plain.Problem);
        Console.Out.WriteLine(decrypted.Ok ? $"   homevault verify {release.TarPath} -i: OK ({decrypted.ClipsDecrypted} clips decrypted, plaintext hashes match)" : "   FAILED: " + decrypted.Problem);
        Console.Out.WriteLine($"   with stock tools: cd {release.Directory} && minisign -Vm manifest.json -p {vault.Data.OwnerMinisignPublicKeyPath(owner)} && sha256sum -c SHA256SUMS");
        Console.Out.WriteLine($"                     age -d -i {recipientKey} clips/{cameras[0]}/<start>.mp4.age > /dev/shm/clip.mp4");

        var reportPath = Path.Combine(workDir, "transparency-report.html");
        step($"11. The transparency report (homevault report --format md), also as a page with a chart: {reportPath}");
        ReportCommand.Generate(vault, null, TimeProvider.System.GetUtcNow(), "html", reportPath);
        ReportCommand.Generate(vault, null, TimeProvider.System.GetUtcNow(), "md", "-");
        if (!plain.Ok || !decrypted.Ok)
        {
            throw new UserError("release verification failed");
        }
    }

    private static string Wire(DateTimeOffset t) => WireTime.Format(t);
}
