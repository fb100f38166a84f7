using System.Security.Cryptography;
using NSec.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// An age X25519 identity (<c>AGE-SECRET-KEY-1…</c>). The private key lives in NSec's protected
/// memory; the secret string is produced only by the explicit <see cref="ExportSecret"/>.
/// </summary>
public sealed class X25519Identity : IIdentity, IDisposable
{
    private const string Hrp = "AGE-SECRET-KEY-";

    // age's post-quantum hybrid identities (mlkem768x25519); named so the error says what is missing, not "malformed".
    private const string PostQuantumPrefix = "AGE-SECRET-KEY-PQ-1";
    private readonly Key _key;

    private X25519Identity(Key key)
    {
        _key = key;
        Recipient = new X25519Recipient(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The matching public recipient; <c>Recipient.ToString()</c> gives the age1… string.</summary>
    public X25519Recipient Recipient { get; }

    public static X25519Identity Generate() =>
        new(Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public static X25519Identity Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.StartsWith(PostQuantumPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new AgeException(AgeErrorKind.InvalidKey,
                "post-quantum hybrid identities (AGE-SECRET-KEY-PQ-1…, mlkem768x25519) are not supported: HomeVault implements age's X25519 and passphrase (scrypt) recipients only");
        }
        var (hrp, data5) = Bech32.Decode(s);
        byte[]? raw = null;
        try
        {
            if (hrp != Hrp)
            {
                throw new AgeException(AgeErrorKind.InvalidKey, "invalid X25519 identity: expected an AGE-SECRET-KEY-1… string in uppercase");
            }
            raw = Bech32.ConvertBits(data5, 5, 8, pad: false);
            if (raw.Length != 32)
            {
                throw new AgeException(AgeErrorKind.InvalidKey, "invalid X25519 identity: wrong key length");
            }
            var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
            return new X25519Identity(Key.Import(KeyAgreementAlgorithm.X25519, raw, KeyBlobFormat.RawPrivateKey, in creation));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data5);
            if (raw is not null)
            {
                CryptographicOperations.ZeroMemory(raw);
            }
        }
    }

    /// <summary>The secret key as an <c>AGE-SECRET-KEY-1…</c> string. Deliberately explicit: handle with care.</summary>
    public string ExportSecret()
    {
        var raw = _key.Export(KeyBlobFormat.RawPrivateKey);
        byte[]? data5 = null;
        try
        {
            data5 = Bech32.ConvertBits(raw, 8, 5, pad: true);
            return Bech32.Encode(Hrp, data5, upper: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
            if (data5 is not null)
            {
                CryptographicOperations.ZeroMemory(data5);
            }
        }
    }

    public void Dispose() => _key.Dispose();

    bool IIdentity.TryUnwrap(IReadOnlyList<Stanza> stanzas, Span<byte> fileKey)
    {
        Span<byte> wrapKey = stackalloc byte[32];
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != X25519Recipient.StanzaType)
            {
                continue;
            }
            if (stanza.Args.Count != 1)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, "invalid X25519 stanza: expected exactly one argument");
            }
            if (!Base64Raw.TryDecode(stanza.Args[0], out var share) || share.Length != 32)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, "invalid X25519 stanza: malformed ephemeral share");
            }
            var sharePublic = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, share, KeyBlobFormat.RawPublicKey);
            using var shared = KeyAgreementAlgorithm.X25519.Agree(_key, sharePublic)
                ?? throw new AgeException(AgeErrorKind.InvalidHeader, "invalid X25519 stanza: ephemeral share is a low-order point");
            try
            {
                X25519Recipient.DeriveWrapKey(shared, share, Recipient.PublicKey, wrapKey);
                if (KeyWrap.TryUnwrap(wrapKey, stanza.Body, fileKey, X25519Recipient.StanzaType))
                {
                    return true;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(wrapKey);
            }
        }
        return false;
    }
}
