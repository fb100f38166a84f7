using System.Text;

namespace HomeVault.Core.Vault;

/// <summary>
/// The public shape of an age file, readable without any key: where the payload starts and how
/// plaintext length maps to ciphertext length. Used to reason about files a crash left behind.
/// </summary>
public static class AgeLayout
{
    public const int NonceSize = 16;
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int EncryptedChunkSize = ChunkSize + TagSize;
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>Offset of the first payload chunk (after header and nonce), or null when the file has no complete binary header.</summary>
    public static long? PayloadOffset(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var buffer = new byte[Math.Min(MaxHeaderBytes, Math.Max(0, file.Length))];
        var n = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var span = buffer.AsSpan(0, n);
        if (!span.StartsWith(Encoding.ASCII.GetBytes("age-encryption.org/v1\n")))
        {
            return null;
        }
        var mac = span.IndexOf("\n---"u8);
        if (mac < 0)
        {
            return null;
        }
        var end = span[(mac + 1)..].IndexOf((byte)'\n');
        if (end < 0)
        {
            return null;
        }
        long offset = mac + 1 + end + 1 + NonceSize;
        return offset <= n ? offset : null;
    }

    /// <summary>Payload length (after the nonce) of a complete file of <paramref name="plaintext"/> bytes: the inverse of <see cref="PlaintextLength"/>.</summary>
    public static long PayloadLength(long plaintext)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintext);
        // The final chunk is never empty after a full one, and an empty file is one empty final chunk.
        var chunks = Math.Max(1, (plaintext + ChunkSize - 1) / ChunkSize);
        return plaintext + (chunks * TagSize);
    }

    /// <summary>Plaintext length of a complete file whose payload (after the nonce) is this long.</summary>
    public static long PlaintextLength(long payloadBytes)
    {
        if (payloadBytes < TagSize)
        {
            return 0;
        }
        var chunks = (payloadBytes + EncryptedChunkSize - 1) / EncryptedChunkSize;
        return payloadBytes - (chunks * TagSize);
    }
}
