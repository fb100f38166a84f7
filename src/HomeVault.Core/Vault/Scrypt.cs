using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// RFC 7914 scrypt. NSec's scrypt insists on a 32-byte salt; age's is 44 bytes, so this is our own,
/// built on the BCL's PBKDF2-HMAC-SHA256. Working memory is zeroed before it is returned.
/// </summary>
internal static class Scrypt
{
    public static void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int logN, int r, int p, Span<byte> output)
    {
        if (logN is < 1 or > 30 || r < 1 || p < 1 || (long)r * p >= 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(logN), "scrypt parameters out of range");
        }
        var n = 1 << logN;
        if ((long)32 * r * n > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(logN), "scrypt memory cost too large");
        }
        var blockBytes = 128 * r;
        var b = new byte[blockBytes * p];
        var x = new uint[32 * r];
        var y = new uint[32 * r];
        var v = new uint[(long)32 * r * n];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);
            for (var i = 0; i < p; i++)
            {
                RoMix(b.AsSpan(i * blockBytes, blockBytes), r, n, x, y, v);
            }
            Rfc2898DeriveBytes.Pbkdf2(password, b, output, 1, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
            Array.Clear(x);
            Array.Clear(y);
            Array.Clear(v);
        }
    }

    private static void RoMix(Span<byte> block, int r, int n, uint[] xa, uint[] ya, uint[] va)
    {
        var words = 32 * r;
        Span<uint> x = xa;
        Span<uint> y = ya;
        for (var i = 0; i < words; i++)
        {
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }
        // N is a power of two >= 2, so the loops run in pairs and ping-pong between x and y.
        for (var i = 0; i < n; i += 2)
        {
            x.CopyTo(va.AsSpan(i * words, words));
            BlockMix(x, y, r);
            y.CopyTo(va.AsSpan((i + 1) * words, words));
            BlockMix(y, x, r);
        }
        var mask = (uint)(n - 1);
        var last = (2 * r - 1) * 16;
        for (var i = 0; i < n; i += 2)
        {
            // Integerify: first word of the last 64-byte block, mod N.
            Xor(x, va.AsSpan((int)(x[last] & mask) * words, words));
            BlockMix(x, y, r);
            Xor(y, va.AsSpan((int)(y[last] & mask) * words, words));
            BlockMix(y, x, r);
        }
        for (var i = 0; i < words; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block[(i * 4)..], x[i]);
        }
    }

    private static void Xor(Span<uint> a, ReadOnlySpan<uint> b)
    {
        for (var k = 0; k < a.Length; k++)
        {
            a[k] ^= b[k];
        }
    }

    /// <summary>scryptBlockMix: output blocks are written even-first, odd-second (RFC 7914 §4).</summary>
    private static void BlockMix(ReadOnlySpan<uint> input, Span<uint> output, int r)
    {
        Span<uint> t = stackalloc uint[16];
        input.Slice((2 * r - 1) * 16, 16).CopyTo(t);
        for (var i = 0; i < 2 * r; i += 2)
        {
            SalsaXor(t, input.Slice(i * 16, 16), output.Slice(i * 8, 16));
            SalsaXor(t, input.Slice(i * 16 + 16, 16), output.Slice(r * 16 + i * 8, 16));
        }
        t.Clear();
    }

    /// <summary>t = Salsa20/8(t ^ input); output = t. State kept in locals: this is the hot loop.</summary>
    private static void SalsaXor(Span<uint> t, ReadOnlySpan<uint> input, Span<uint> output)
    {
        if (t.Length < 16 || input.Length < 16 || output.Length < 16)
        {
            throw new ArgumentException("Salsa20/8 blocks are 16 words");
        }
        uint w0 = t[0] ^ input[0], w1 = t[1] ^ input[1], w2 = t[2] ^ input[2], w3 = t[3] ^ input[3],
            w4 = t[4] ^ input[4], w5 = t[5] ^ input[5], w6 = t[6] ^ input[6], w7 = t[7] ^ input[7],
            w8 = t[8] ^ input[8], w9 = t[9] ^ input[9], w10 = t[10] ^ input[10], w11 = t[11] ^ input[11],
            w12 = t[12] ^ input[12], w13 = t[13] ^ input[13], w14 = t[14] ^ input[14], w15 = t[15] ^ input[15];
        uint x0 = w0, x1 = w1, x2 = w2, x3 = w3, x4 = w4, x5 = w5, x6 = w6, x7 = w7,
            x8 = w8, x9 = w9, x10 = w10, x11 = w11, x12 = w12, x13 = w13, x14 = w14, x15 = w15;
        for (var i = 0; i < 8; i += 2)
        {
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }
        output[0] = t[0] = x0 + w0; output[1] = t[1] = x1 + w1; output[2] = t[2] = x2 + w2; output[3] = t[3] = x3 + w3;
        output[4] = t[4] = x4 + w4; output[5] = t[5] = x5 + w5; output[6] = t[6] = x6 + w6; output[7] = t[7] = x7 + w7;
        output[8] = t[8] = x8 + w8; output[9] = t[9] = x9 + w9; output[10] = t[10] = x10 + w10; output[11] = t[11] = x11 + w11;
        output[12] = t[12] = x12 + w12; output[13] = t[13] = x13 + w13; output[14] = t[14] = x14 + w14; output[15] = t[15] = x15 + w15;
    }
}
