using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Audit;

/// <summary>Shared rules of C2SP signed-note keys: names, the Ed25519 algorithm byte, key hashes.</summary>
internal static class NoteKeys
{
    public const byte AlgEd25519 = 0x01;

    /// <summary>Non-empty, no Unicode white space, no '+' (signed-note key name rule).</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && !name.Contains('+', StringComparison.Ordinal) && !name.Any(char.IsWhiteSpace) && CanonicalJson.IsEncodable(name);

    /// <summary>First four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).</summary>
    public static uint KeyHash(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(buffer, 0);
        buffer[nameBytes.Length] = 0x0A;
        buffer[nameBytes.Length + 1] = AlgEd25519;
        publicKey.CopyTo(buffer.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(buffer));
    }

    public static string HashHex(uint hash) => hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Splits "a+b+c" style key strings: the first '+' parts and the rest.</summary>
    public static (string Head, string Tail) Chop(string s)
    {
        var i = s.IndexOf('+', StringComparison.Ordinal);
        return i < 0 ? (s, "") : (s[..i], s[(i + 1)..]);
    }
}
