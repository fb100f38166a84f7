using System.Text;

namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// The fixed layout of a release package. Every file in it is bound to the signed manifest, either by a hash
/// in it or by a signature over it, so the verifier can insist on exactly this set of files.
/// </summary>
public static class ReleaseFiles
{
    public const string Manifest = "manifest.json";
    public const string ManifestSignature = "manifest.json.minisig";
    public const string Approval = "approval.txt";
    public const string Sums = "SHA256SUMS";
    public const string Readme = "README.txt";
    public const string AuditEntry = "audit/entry.json";
    public const string AuditProof = "audit/release.tlog-proof";
    public const string AuditLogKey = "audit/log-key.txt";
    public const string ClipsDir = "clips";
    public const string OwnersDir = "owners";

    public static string ApprovalSignature(string owner) => $"{Approval}.{owner}.minisig";

    public static string OwnerKey(string owner) => $"{OwnersDir}/{owner}.pub";

    /// <summary>A clip's path: clips/CAMERA/START.mp4.age with a colon-free UTC start.</summary>
    public static string ClipPath(string camera, DateTimeOffset start) =>
        $"{ClipsDir}/{camera}/{start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)}.mp4.age";

    /// <summary>`sha256sum -c` input for the clips, in manifest order.</summary>
    public static byte[] SumsText(IEnumerable<ManifestClip> clips) =>
        Encoding.UTF8.GetBytes(string.Concat(clips.Select(c => $"{c.Sha256}  {c.Path}\n")));

    /// <summary>How to check the package with stock tools; its hash is in the manifest.</summary>
    public static byte[] ReadmeText(string requestId, IEnumerable<string> signers)
    {
        var sb = new StringBuilder();
        sb.Append("HomeVault release for request ").Append(requestId).Append('\n');
        sb.Append("""

            Every clip in clips/ is an age file encrypted to your recipient key only. manifest.json lists each
            clip's camera, start and end, and the SHA-256 of its plaintext and ciphertext, and is signed by an owner.

            Check it with stock tools (pin the owner's public key you received out of band, not the copy in owners/):
              minisign -Vm manifest.json -p OWNER.pub
            """).Append('\n');
        foreach (var s in signers)
        {
            sb.Append($"  minisign -Vm {Approval} -x {ApprovalSignature(s)} -p {OwnerKey(s)}\n");
        }
        sb.Append("""
              sha256sum -c SHA256SUMS
              age -d -i YOUR-IDENTITY -o clip.mp4 clips/CAMERA/START.mp4.age
              sha256sum clip.mp4      # equals the clip's plaintextSha256 in manifest.json

            audit/entry.json is the owners' audit-log leaf recording this release (it holds manifest.json's SHA-256);
            audit/release.tlog-proof is a C2SP tlog-proof of that leaf against a checkpoint signed by the key in
            audit/log-key.txt. `homevault verify DIR --owner-key OWNER.pub [-i IDENTITY]` checks all of it at once.

            """);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
