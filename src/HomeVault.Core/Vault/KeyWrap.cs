using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>File-key wrapping shared by the recipient types: ChaCha20-Poly1305 with a zero nonce.</summary>
internal static class KeyWrap
{
    public const int FileKeySize = 16;
    public const int TagSize = 16;
    public const int WrappedSize = FileKeySize + TagSize;

    public static byte[] Wrap(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> fileKey)
    {
        var body = new byte[WrappedSize];
        using var aead = new ChaCha20Poly1305(wrapKey);
        aead.Encrypt(stackalloc byte[12], fileKey, body.AsSpan(0, FileKeySize), body.AsSpan(FileKeySize));
        return body;
    }

    /// <summary>False when the key does not authenticate; a wrong-sized body is a header error.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> body, Span<byte> fileKey, string stanzaType)
    {
        // Checked before decrypting: a longer body must not be a way to smuggle a different key size.
        if (body.Length != WrappedSize)
        {
            throw new AgeException(AgeErrorKind.InvalidHeader, $"invalid {stanzaType} stanza: wrapped file key has the wrong size");
        }
        using var aead = new ChaCha20Poly1305(wrapKey);
        try
        {
            aead.Decrypt(stackalloc byte[12], body[..FileKeySize], body[FileKeySize..], fileKey);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>VCHAR-only, non-empty: the rule for every header argument.</summary>
    public static bool IsValidArgument(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (c is < (char)33 or > (char)126)
            {
                return false;
            }
        }
        return true;
    }
}
