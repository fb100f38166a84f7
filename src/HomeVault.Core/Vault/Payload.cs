using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// The STREAM construction over ChaCha20-Poly1305: 64 KiB chunks, nonce = 11-byte big-endian
/// counter || final flag. The BCL AEAD (OpenSSL) is used because it measured several times
/// faster than NSec's for 64 KiB chunks on this hardware (see bench/VaultBench).
/// </summary>
internal static class Payload
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int EncChunkSize = ChunkSize + TagSize;
    public const int NonceSize = 16;
    private static readonly byte[] PayloadInfo = "payload"u8.ToArray();

    /// <summary>Payload key = HKDF-SHA256(ikm = file key, salt = nonce, info = "payload").</summary>
    public static ChaCha20Poly1305 CreateAead(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce)
    {
        Span<byte> key = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, key, nonce, PayloadInfo);
            return new ChaCha20Poly1305(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static void ChunkNonce(ulong counter, bool final, Span<byte> nonce)
    {
        nonce[..3].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[3..11], counter);
        nonce[11] = final ? (byte)1 : (byte)0;
    }

    /// <summary>
    /// Authenticates and decrypts chunk <paramref name="counter"/> (<paramref name="cipher"/> = ciphertext || tag) into
    /// <paramref name="dest"/>; false when the tag does not verify (then the BCL has zeroed <paramref name="dest"/>).
    /// </summary>
    public static bool TryOpen(ChaCha20Poly1305 aead, ulong counter, bool final, ReadOnlySpan<byte> cipher, Span<byte> dest)
    {
        Span<byte> nonce = stackalloc byte[12];
        ChunkNonce(counter, final, nonce);
        var plainLen = cipher.Length - TagSize;
        try
        {
            aead.Decrypt(nonce, cipher[..plainLen], cipher[plainLen..], dest[..plainLen]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
