using System.Formats.Tar;
using System.Security.Cryptography;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Disclosure.Verification;

/// <summary>
/// Checks a release as its recipient would (`homevault verify`): the manifest's signature against a pinned owner
/// key, the owners' approval signatures and quorum, the approval statement against the manifest, every file's hash,
/// the audit leaf and its tlog-proof, every clip inside the signed scope, exactly the expected files, and with
/// identities, every clip's plaintext hash. Needs no catalog, no ffmpeg and no network.
/// </summary>
public static partial class ReleaseVerifier
{
    /// <summary>Verifies a release directory or its .tar.</summary>
    public static ReleaseVerification Verify(string path, IReadOnlyList<MinisignPublicKey> pinnedOwnerKeys, IReadOnlyList<IIdentity>? identities = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(pinnedOwnerKeys);
        if (pinnedOwnerKeys.Count == 0)
        {
            throw new ArgumentException("at least one pinned owner key is needed", nameof(pinnedOwnerKeys));
        }
        if (Directory.Exists(path))
        {
            return VerifyDirectory(path, pinnedOwnerKeys, identities ?? []);
        }
        if (!File.Exists(path))
        {
            return ReleaseVerification.Fail($"{path}: no such release directory or .tar file");
        }
        // Ciphertext only: unpacking to a private temporary directory puts no plaintext on disk.
        var temp = Path.Combine(Path.GetTempPath(), "homevault-verify-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            if (Unpack(path, temp) is { } problem)
            {
                return ReleaseVerification.Fail(problem);
            }
            var roots = Directory.GetDirectories(temp);
            if (roots.Length != 1 || Directory.GetFiles(temp).Length != 0)
            {
                return ReleaseVerification.Fail($"{path}: expected one top-level release directory in the tar");
            }
            return VerifyDirectory(roots[0], pinnedOwnerKeys, identities ?? []);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Unpacks regular files and directories only, refusing links and paths that leave the target.</summary>
    private static string? Unpack(string tarPath, string target)
    {
        try
        {
            using var file = File.OpenRead(tarPath);
            using var reader = new TarReader(file);
            while (reader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.TrimEnd('/');
                var full = Path.GetFullPath(Path.Combine(target, name));
                if (name.Length == 0 || Path.IsPathRooted(name) || !full.StartsWith(target + "/", StringComparison.Ordinal))
                {
                    return $"{tarPath}: entry '{entry.Name}' leaves the release directory";
                }
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(full);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                        if (File.Exists(full))
                        {
                            return $"{tarPath}: entry '{entry.Name}' appears twice";
                        }
                        entry.ExtractToFile(full, overwrite: false);
                        break;
                    default:
                        return $"{tarPath}: entry '{entry.Name}' is a {entry.EntryType}, not a regular file or directory";
                }
            }
            return null;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            return $"{tarPath}: not a readable tar archive ({ex.Message})";
        }
    }

    private static ReleaseVerification VerifyDirectory(string dir, IReadOnlyList<MinisignPublicKey> pinned, IReadOnlyList<IIdentity> identities)
    {
        try
        {
            return new Check(dir, pinned, identities).Run();
        }
        catch (ReleaseException ex)
        {
            return ReleaseVerification.Fail(ex.Message);
        }
    }
}
