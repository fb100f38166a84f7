namespace HomeVault.Core;

/// <summary>
/// The layout of a HomeVault data directory. Everything secret in it is an age file (identities,
/// signing keys, clips) except the audit checkpoint key, which the unattended service must use.
/// </summary>
public sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string CatalogPath => Path.Combine(Root, "catalog.db");

    public string KeysDir => Path.Combine(Root, "keys");

    public string ClipsDir => Path.Combine(Root, "clips");

    public string ReleasesDir => Path.Combine(Root, "releases");

    /// <summary>Where the recorder's status files are (camera health, HTTP addresses) for the other commands to read.</summary>
    public string StatusDir => Path.Combine(Root, "status");

    /// <summary>The file <see cref="DataDirectoryLock"/> locks; it holds the holder's PID.</summary>
    public string LockPath => Path.Combine(Root, "recorder.lock");

    /// <summary>The owner's age X25519 identity, sealed with their passphrase (stock `age -d` opens it).</summary>
    public string OwnerIdentityPath(string owner) => Path.Combine(KeysDir, owner + ".identity.age");

    /// <summary>The owner's minisign secret key file, sealed with their passphrase.</summary>
    public string OwnerSigningKeyPath(string owner) => Path.Combine(KeysDir, owner + ".minisign.key.age");

    public string OwnerMinisignPublicKeyPath(string owner) => Path.Combine(KeysDir, owner + ".minisign.pub");

    public string OwnerRecipientPath(string owner) => Path.Combine(KeysDir, owner + ".age.pub");

    /// <summary>The owner's signed-note key for co-signing audit checkpoints, sealed with their passphrase.</summary>
    public string OwnerCosignKeyPath(string owner) => Path.Combine(KeysDir, owner + ".cosign.key.age");

    public string OwnerCosignVerifierPath(string owner) => Path.Combine(KeysDir, owner + ".cosign.pub");

    /// <summary>The service's signed-note key for audit checkpoints (mode 0600).</summary>
    public string AuditKeyPath => Path.Combine(KeysDir, "audit-checkpoint.key");

    public string AuditVerifierKeyPath => Path.Combine(KeysDir, "audit-checkpoint.pub");

    public bool IsInitialized => File.Exists(CatalogPath);

    /// <summary>
    /// The full path of a catalog-relative path, refusing anything that leaves the data directory
    /// (a tampered or foreign catalog must not steer deletions or reads elsewhere).
    /// </summary>
    /// <exception cref="InvalidDataException">The path escapes the data directory.</exception>
    public string ResolveInside(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(Root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"catalog path '{relative}' leaves the data directory");
        }
        return full;
    }
}
