using System.Globalization;
using NSec.Cryptography;

namespace HomeVault.Core.Audit;

/// <summary>A signed-note Ed25519 verifier key: `name+hash8hex+base64(0x01 || public key)`.</summary>
public sealed class NoteVerifier
{
    private readonly PublicKey _publicKey;

    internal NoteVerifier(string name, PublicKey publicKey)
    {
        Name = name;
        _publicKey = publicKey;
        RawPublicKey = publicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyHash = NoteKeys.KeyHash(name, RawPublicKey);
        var blob = new byte[1 + RawPublicKey.Length];
        blob[0] = NoteKeys.AlgEd25519;
        RawPublicKey.CopyTo(blob, 1);
        VerifierKey = $"{name}+{NoteKeys.HashHex(KeyHash)}+{Convert.ToBase64String(blob)}";
    }

    public string Name { get; }

    public uint KeyHash { get; }

    /// <summary>The key in signed-note verifier form, safe to publish.</summary>
    public string VerifierKey { get; }

    internal byte[] RawPublicKey { get; }

    /// <summary>Parses a verifier key; null when malformed, not Ed25519, or its hash does not match.</summary>
    public static NoteVerifier? TryParse(string? verifierKey)
    {
        if (string.IsNullOrEmpty(verifierKey))
        {
            return null;
        }
        var (name, rest) = NoteKeys.Chop(verifierKey.Trim());
        var (hashHex, keyB64) = NoteKeys.Chop(rest);
        if (!NoteKeys.IsValidName(name) || hashHex.Length != 8 ||
            !uint.TryParse(hashHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash))
        {
            return null;
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(keyB64);
        }
        catch (FormatException)
        {
            return null;
        }
        if (key.Length != 33 || key[0] != NoteKeys.AlgEd25519 ||
            !PublicKey.TryImport(SignatureAlgorithm.Ed25519, key.AsSpan(1), KeyBlobFormat.RawPublicKey, out var publicKey) ||
            publicKey is null)
        {
            return null;
        }
        var verifier = new NoteVerifier(name, publicKey);
        return verifier.KeyHash == hash ? verifier : null;
    }

    /// <summary>Parses a verifier key or throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static NoteVerifier Parse(string verifierKey) =>
        TryParse(verifierKey) ?? throw new FormatException("not a valid Ed25519 signed-note verifier key (name+hash+base64)");

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureAlgorithm.Ed25519.SignatureSize && SignatureAlgorithm.Ed25519.Verify(_publicKey, message, signature);

    public override string ToString() => VerifierKey;
}
