using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>An age X25519 recipient, written <c>age1…</c>.</summary>
public sealed class X25519Recipient : IRecipient, IEquatable<X25519Recipient>
{
    internal const string StanzaType = "X25519";
    internal static readonly byte[] Info = Encoding.ASCII.GetBytes("age-encryption.org/v1/X25519");
    private const string Hrp = "age";
    private readonly byte[] _publicKey;

    internal X25519Recipient(ReadOnlySpan<byte> publicKey)
    {
        _publicKey = publicKey.ToArray();
    }

    /// <summary>The raw 32-byte Curve25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public static X25519Recipient Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var (hrp, data5) = Bech32.Decode(s);
        if (hrp != Hrp)
        {
            throw new AgeException(AgeErrorKind.InvalidKey, "invalid X25519 recipient: expected an age1… string in lowercase");
        }
        var key = Bech32.ConvertBits(data5, 5, 8, pad: false);
        if (key.Length != 32)
        {
            throw new AgeException(AgeErrorKind.InvalidKey, "invalid X25519 recipient: wrong key length");
        }
        return new X25519Recipient(key);
    }

    public static bool TryParse(string? s, out X25519Recipient? recipient)
    {
        recipient = null;
        if (s is null)
        {
            return false;
        }
        try
        {
            recipient = Parse(s);
            return true;
        }
        catch (AgeException)
        {
            return false;
        }
    }

    public override string ToString() => Bech32.Encode(Hrp, Bech32.ConvertBits(_publicKey, 8, 5, pad: true));

    public bool Equals(X25519Recipient? other) => other is not null && CryptographicOperations.FixedTimeEquals(_publicKey, other._publicKey);

    public override bool Equals(object? obj) => Equals(obj as X25519Recipient);

    public override int GetHashCode() => BitConverter.ToInt32(_publicKey, 0);

    IReadOnlyList<Stanza> IRecipient.Wrap(ReadOnlySpan<byte> fileKey)
    {
        using var ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
        var share = ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var recipientKey = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, _publicKey, KeyBlobFormat.RawPublicKey);
        using var shared = KeyAgreementAlgorithm.X25519.Agree(ephemeral, recipientKey)
            ?? throw new AgeException(AgeErrorKind.InvalidKey, "X25519 recipient is a low-order point");
        Span<byte> wrapKey = stackalloc byte[32];
        try
        {
            DeriveWrapKey(shared, share, _publicKey, wrapKey);
            var body = KeyWrap.Wrap(wrapKey, fileKey);
            return [new Stanza(StanzaType, [Base64Raw.Encode(share)], body)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    internal static void DeriveWrapKey(SharedSecret shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipient, Span<byte> wrapKey)
    {
        Span<byte> salt = stackalloc byte[64];
        share.CopyTo(salt);
        recipient.CopyTo(salt[32..]);
        KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, salt, Info, wrapKey);
    }
}
