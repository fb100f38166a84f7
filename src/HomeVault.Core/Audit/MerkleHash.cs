using System.Security.Cryptography;

namespace HomeVault.Core.Audit;

/// <summary>RFC 6962 / RFC 9162 hashing over SHA-256: domain-separated leaves (0x00) and nodes (0x01).</summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var length = data.Length + 1;
        Span<byte> buffer = length <= 1024 ? stackalloc byte[1024] : new byte[length];
        buffer = buffer[..length];
        buffer[0] = 0x00;
        data.CopyTo(buffer[1..]);
        return SHA256.HashData(buffer);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var length = 1 + left.Length + right.Length;
        Span<byte> buffer = length <= 129 ? stackalloc byte[129] : new byte[length];
        buffer = buffer[..length];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + left.Length)..]);
        return SHA256.HashData(buffer);
    }
}
