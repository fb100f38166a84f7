using System.Security.Cryptography;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Tests.Vault;

internal static class VaultTestFiles
{
    public const int Chunk = 64 * 1024;
    public const int EncChunk = Chunk + 16;

    public static byte[] Random(int size)
    {
        var b = new byte[size];
        RandomNumberGenerator.Fill(b);
        return b;
    }

    public static byte[] Encrypt(byte[] plaintext, IEnumerable<IRecipient> recipients, bool armor = false)
    {
        var ms = new MemoryStream();
        Age.Encrypt(new MemoryStream(plaintext), ms, recipients, armor);
        return ms.ToArray();
    }

    /// <summary>Decrypts, returning what was released and the error (if any).</summary>
    public static (byte[] Released, AgeException? Error) Decrypt(byte[] file, params IIdentity[] ids)
    {
        var released = new MemoryStream();
        try
        {
            Age.Decrypt(new MemoryStream(file), released, ids);
            return (released.ToArray(), null);
        }
        catch (AgeException e)
        {
            return (released.ToArray(), e);
        }
    }

    /// <summary>Offset of the payload's first chunk: after "--- mac\n" and the 16-byte nonce.</summary>
    public static int PayloadStart(byte[] file)
    {
        var footer = file.AsSpan().IndexOf("\n---"u8);
        var eol = file.AsSpan(footer + 1).IndexOf((byte)'\n') + footer + 1;
        return eol + 1 + 16;
    }
}
