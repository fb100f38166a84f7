using System.Globalization;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace HomeVault.Core.Audit;

/// <summary>
/// An Ed25519 signed-note signing key. Disposable like NSec keys; the private key string
/// (`PRIVATE+KEY+name+hash+base64(0x01 || seed)`) is produced only on explicit request.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private readonly Key _key;

    private NoteSigner(string name, Key key)
    {
        _key = key;
        Verifier = new NoteVerifier(name, key.PublicKey);
    }

    public string Name => Verifier.Name;

    public uint KeyHash => Verifier.KeyHash;

    public NoteVerifier Verifier { get; }

    /// <summary>A fresh random key named <paramref name="name"/>.</summary>
    public static NoteSigner Generate(string name)
    {
        CheckName(name);
        var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new NoteSigner(name, key);
    }

    /// <summary>Parses a `PRIVATE+KEY+...` string; throws <see cref="FormatException"/> when malformed or inconsistent.</summary>
    public static NoteSigner ParsePrivateKey(string privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        const string prefix = "PRIVATE+KEY+";
        var s = privateKey.Trim();
        if (!s.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new FormatException("not a signed-note private key (PRIVATE+KEY+...)");
        }
        var (name, rest) = NoteKeys.Chop(s[prefix.Length..]);
        var (hashHex, keyB64) = NoteKeys.Chop(rest);
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(keyB64);
        }
        catch (FormatException)
        {
            throw new FormatException("signed-note private key has bad base64");
        }
        try
        {
            if (!NoteKeys.IsValidName(name) || hashHex.Length != 8 ||
                !uint.TryParse(hashHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash) ||
                blob.Length != 33 || blob[0] != NoteKeys.AlgEd25519)
            {
                throw new FormatException("malformed signed-note Ed25519 private key");
            }
            var key = Key.Import(SignatureAlgorithm.Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var signer = new NoteSigner(name, key);
            if (signer.KeyHash != hash)
            {
                signer.Dispose();
                throw new FormatException("signed-note private key hash does not match its key");
            }
            return signer;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(blob);
        }
    }

    /// <summary>The private key string. Secret: write it only to a 0600 file.</summary>
    public string ExportPrivateKey()
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        var blob = new byte[1 + seed.Length];
        try
        {
            blob[0] = NoteKeys.AlgEd25519;
            seed.CopyTo(blob, 1);
            return $"PRIVATE+KEY+{Name}+{NoteKeys.HashHex(KeyHash)}+{Convert.ToBase64String(blob)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(blob);
        }
    }

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();

    private static void CheckName(string name)
    {
        if (!NoteKeys.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid signed-note key name (non-empty, no spaces, no '+')", nameof(name));
        }
    }
}
