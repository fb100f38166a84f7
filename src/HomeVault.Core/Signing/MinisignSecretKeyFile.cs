using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Signing;

/// <summary>
/// The minisign secret key file, unencrypted variant only (what <c>minisign -G -W</c> writes):
/// base64("Ed" || kdf_alg(2) = 0,0 || "B2" || kdf_salt(32) || opslimit(8) || memlimit(8)
///        || key_id(8) || ed25519_sk(64) = seed || pk || checksum(32)), checksum = BLAKE2b-256("Ed" || key_id || sk).
/// </summary>
internal static class MinisignSecretKeyFile
{
    public const string DefaultComment = "minisign unencrypted secret key";

    private const int SaltSize = 32;
    private const int SecretKeySize = 64;
    private const int ChecksumSize = 32;
    private const int KeyIdOffset = 2 + 2 + 2 + SaltSize + 8 + 8;
    private const int SecretKeyOffset = KeyIdOffset + MinisignKeyId.Size;
    private const int ChecksumOffset = SecretKeyOffset + SecretKeySize;
    public const int BlobSize = ChecksumOffset + ChecksumSize;
    public const int SeedSize = 32;

    /// <summary>Writes the file as UTF-8 bytes; the caller owns (and should zero) the result.</summary>
    public static byte[] Write(MinisignKeyId keyId, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        var blob = new byte[BlobSize];
        try
        {
            blob[0] = (byte)'E';
            blob[1] = (byte)'d';
            // kdf_alg, salt, opslimit and memlimit stay zero: no password, exactly as minisign -W leaves them.
            blob[4] = (byte)'B';
            blob[5] = (byte)'2';
            keyId.CopyTo(blob.AsSpan(KeyIdOffset));
            seed.CopyTo(blob.AsSpan(SecretKeyOffset));
            publicKey.CopyTo(blob.AsSpan(SecretKeyOffset + SeedSize));
            Checksum(blob, blob.AsSpan(ChecksumOffset, ChecksumSize));

            var header = Encoding.UTF8.GetBytes($"{MinisignText.UntrustedPrefix}{DefaultComment}\n");
            var b64Length = Base64.GetMaxEncodedToUtf8Length(BlobSize);
            var file = new byte[header.Length + b64Length + 1];
            header.CopyTo(file, 0);
            Base64.EncodeToUtf8(blob, file.AsSpan(header.Length), out _, out var written);
            file[header.Length + written] = (byte)'\n';
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(blob);
        }
    }

    /// <summary>
    /// Reads the file; returns key id, the 32-byte seed (caller zeroes it) and the 32-byte public key it
    /// claims. Throws <see cref="FormatException"/> naming the problem, including for password-protected keys.
    /// </summary>
    public static (MinisignKeyId KeyId, byte[] Seed, byte[] PublicKey) Read(ReadOnlySpan<byte> text)
    {
        var firstEnd = text.IndexOf((byte)'\n');
        if (firstEnd < 0)
        {
            throw new FormatException("secret key file: expected an \"untrusted comment: \" line followed by a base64 line");
        }
        if (!text.StartsWith("untrusted comment: "u8))
        {
            throw new FormatException("secret key file: line 1 does not start with \"untrusted comment: \"");
        }
        var rest = text[(firstEnd + 1)..];
        var secondEnd = rest.IndexOf((byte)'\n');
        var line = secondEnd < 0 ? rest : rest[..secondEnd];
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }
        if (secondEnd >= 0 && rest[(secondEnd + 1)..].IndexOfAnyExcept("\r\n"u8) >= 0)
        {
            throw new FormatException("secret key file: unexpected text after line 2");
        }

        var blob = MinisignText.DecodeExact(line, BlobSize, "secret key file: line 2");
        try
        {
            if (blob[0] != 'E' || blob[1] != 'd')
            {
                throw new FormatException("secret key file: unsupported signature algorithm (expected Ed)");
            }
            if (blob[4] != 'B' || blob[5] != '2')
            {
                throw new FormatException("secret key file: unsupported checksum algorithm (expected B2)");
            }
            if (blob[2] == 'S' && blob[3] == 'c')
            {
                throw new FormatException(
                    "secret key file: the key is password-encrypted (scrypt); HomeVault reads only unencrypted minisign keys " +
                    "(remove the password with `minisign -C -W -s <file>`, then protect the file with age)");
            }
            if (blob[2] != 0 || blob[3] != 0)
            {
                throw new FormatException("secret key file: unsupported key derivation algorithm");
            }

            // minisign -G -W leaves the checksum zero (it is only filled in when encrypting), so zero means
            // "not present"; anything else must match.
            var stored = blob.AsSpan(ChecksumOffset, ChecksumSize);
            if (stored.IndexOfAnyExcept((byte)0) >= 0)
            {
                Span<byte> computed = stackalloc byte[ChecksumSize];
                Checksum(blob, computed);
                var ok = CryptographicOperations.FixedTimeEquals(computed, stored);
                CryptographicOperations.ZeroMemory(computed);
                if (!ok)
                {
                    throw new FormatException("secret key file: checksum mismatch (the key is corrupt)");
                }
            }
            return (
                MinisignKeyId.FromBytes(blob.AsSpan(KeyIdOffset, MinisignKeyId.Size)),
                blob.AsSpan(SecretKeyOffset, SeedSize).ToArray(),
                blob.AsSpan(SecretKeyOffset + SeedSize, MinisignPublicKey.RawKeySize).ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(blob);
        }
    }

    private static void Checksum(ReadOnlySpan<byte> blob, Span<byte> checksum)
    {
        // BLAKE2b-256 over sig_alg || key_id || sk: the two fields are not adjacent in the file.
        Span<byte> input = stackalloc byte[2 + MinisignKeyId.Size + SecretKeySize];
        try
        {
            blob[..2].CopyTo(input);
            blob.Slice(KeyIdOffset, MinisignKeyId.Size + SecretKeySize).CopyTo(input[2..]);
            NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash(input, checksum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }
}
