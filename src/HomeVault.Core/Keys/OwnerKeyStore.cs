using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Keys;

/// <summary>
/// An owner's key files in the data directory. Secrets are age files sealed with the owner's
/// passphrase (scrypt), so stock `age -d` opens them: the identity decrypts to an age-keygen style
/// identity file, the signing key to an unencrypted minisign secret key file usable by stock
/// `minisign -S -s`. Public halves are plain files beside them.
/// </summary>
public sealed class OwnerKeyStore(DataDirectory data)
{
    /// <summary>age's own default; about a second of work on a small server, per unlock.</summary>
    public const int ScryptWorkFactor = 18;

    // Key files are a few hundred bytes; anything this large is not one, and is not read into memory whole.
    private const long MaxKeyFileBytes = 64 * 1024;

    /// <summary>Generates and writes a new owner's keys; refuses to overwrite any existing file.</summary>
    public OwnerPublicKeys Create(string owner, ReadOnlySpan<char> passphrase, DateTimeOffset now)
    {
        Names.ThrowIfInvalid(owner, "owner name");
        Durable.CreatePrivateDirectory(data.KeysDir);
        foreach (var path in PathsOf(owner))
        {
            if (File.Exists(path))
            {
                throw new KeyStoreException($"key file {path} already exists; nothing was changed");
            }
        }

        using var identity = X25519Identity.Generate();
        using var signing = MinisignKey.Create(allowSecretKeyExport: true);
        var identityText = Encoding.UTF8.GetBytes(IdentityFile.Format(identity, now));
        var signingText = signing.ExportSecretKeyFile();
        try
        {
            var sealedIdentity = SealWithPassphrase(identityText, passphrase);
            var sealedSigning = SealWithPassphrase(signingText, passphrase);
            var keys = new OwnerPublicKeys(owner, identity.Recipient.ToString(), signing.PublicKey.ToBase64(), signing.PublicKey.ToFileText());
            Durable.CreateNew(data.OwnerIdentityPath(owner), sealedIdentity);
            Durable.CreateNew(data.OwnerSigningKeyPath(owner), sealedSigning);
            Durable.CreateNew(data.OwnerRecipientPath(owner), Encoding.UTF8.GetBytes(keys.AgeRecipient + "\n"));
            Durable.CreateNew(data.OwnerMinisignPublicKeyPath(owner), Encoding.UTF8.GetBytes(keys.MinisignPublicKeyFile));
            return keys;
        }
        finally
        {
            Array.Clear(identityText);
            Array.Clear(signingText);
        }
    }

    /// <summary>Removes the files a failed <see cref="Create"/> may have left, so a retry starts clean.</summary>
    public void DeleteIncomplete(string owner)
    {
        foreach (var path in PathsOf(owner))
        {
            File.Delete(path);
        }
    }

    /// <summary>Decrypts the owner's age identity. Dispose it as soon as the act is done.</summary>
    /// <exception cref="KeyStoreException">Unknown owner or wrong passphrase.</exception>
    public X25519Identity UnlockIdentity(string owner, ReadOnlySpan<char> passphrase)
    {
        var text = Unseal(data.OwnerIdentityPath(owner), owner, passphrase);
        try
        {
            var identities = IdentityFile.Parse(Encoding.UTF8.GetString(text));
            if (identities.Count != 1)
            {
                foreach (var id in identities)
                {
                    id.Dispose();
                }
                throw new KeyStoreException($"identity file of owner '{owner}' holds {identities.Count} identities, expected 1");
            }
            return identities[0];
        }
        finally
        {
            Array.Clear(text);
        }
    }

    /// <summary>Decrypts the owner's minisign signing key.</summary>
    public MinisignKey UnlockSigningKey(string owner, ReadOnlySpan<char> passphrase, bool allowSecretKeyExport = false)
    {
        var text = Unseal(data.OwnerSigningKeyPath(owner), owner, passphrase);
        try
        {
            return MinisignKey.ImportSecretKeyFile(text, allowSecretKeyExport);
        }
        finally
        {
            Array.Clear(text);
        }
    }

    /// <summary>
    /// The owner's checkpoint co-signing key (a signed-note Ed25519 key named after the owner, kept
    /// apart from their minisign key so no signature can be replayed across the two formats),
    /// created and sealed with their passphrase on first use.
    /// </summary>
    public NoteSigner UnlockOrCreateCosigner(string owner, ReadOnlySpan<char> passphrase)
    {
        var path = data.OwnerCosignKeyPath(owner);
        if (File.Exists(path))
        {
            var text = Unseal(path, owner, passphrase);
            try
            {
                return NoteSigner.ParsePrivateKey(Encoding.UTF8.GetString(text));
            }
            finally
            {
                Array.Clear(text);
            }
        }
        // Prove the passphrase before creating anything.
        using (UnlockIdentity(owner, passphrase))
        {
        }
        var signer = NoteSigner.Generate(owner);
        var secret = Encoding.UTF8.GetBytes(signer.ExportPrivateKey() + "\n");
        try
        {
            Durable.CreateNew(path, SealWithPassphrase(secret, passphrase));
            Durable.CreateNew(data.OwnerCosignVerifierPath(owner), Encoding.UTF8.GetBytes(signer.Verifier.VerifierKey + "\n"));
            return signer;
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    /// <summary>The co-signing verifier keys of every owner who has one.</summary>
    public IReadOnlyList<NoteVerifier> CosignVerifiers(IEnumerable<string> owners) =>
        owners.Select(data.OwnerCosignVerifierPath).Where(File.Exists).Select(p => NoteVerifier.Parse(File.ReadAllText(p).Trim())).ToList();

    public MinisignPublicKey ReadMinisignPublicKey(string owner) =>
        MinisignPublicKey.Parse(File.ReadAllText(data.OwnerMinisignPublicKeyPath(owner)));

    private IEnumerable<string> PathsOf(string owner) =>
    [
        data.OwnerIdentityPath(owner), data.OwnerSigningKeyPath(owner),
        data.OwnerRecipientPath(owner), data.OwnerMinisignPublicKeyPath(owner),
    ];

    private static byte[] SealWithPassphrase(ReadOnlySpan<byte> secret, ReadOnlySpan<char> passphrase)
    {
        using var recipient = new ScryptRecipient(passphrase, ScryptWorkFactor);
        using var output = new MemoryStream();
        using (var age = Age.EncryptingStream(output, [recipient], leaveOpen: true))
        {
            age.Write(secret);
            age.Complete();
        }
        return output.ToArray();
    }

    private static byte[] Unseal(string path, string owner, ReadOnlySpan<char> passphrase)
    {
        if (!File.Exists(path))
        {
            throw new KeyStoreException($"owner '{owner}' has no key file {Path.GetFileName(path)} in this data directory");
        }
        using var identity = new ScryptIdentity(passphrase);
        using var input = File.OpenRead(path);
        // One buffer of the file's size holds the whole plaintext (an age payload is never longer than its file), so
        // no growing MemoryStream leaves discarded copies of the key behind; it is cleared whatever happens.
        if (input.Length > MaxKeyFileBytes)
        {
            throw new KeyStoreException($"key file {path} is {input.Length} bytes, too large to be a key");
        }
        var buffer = new byte[input.Length];
        var length = 0;
        try
        {
            using var dec = Age.DecryptingStream(input, [identity], leaveOpen: true);
            int n;
            while ((n = dec.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += n;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        catch (AgeException ex) when (ex.Kind is AgeErrorKind.NoIdentityMatched)
        {
            throw new KeyStoreException($"wrong passphrase for owner '{owner}'", ex);
        }
        catch (AgeException ex)
        {
            throw new KeyStoreException($"key file {path} is damaged: {ex.Message}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
