using HomeVault.Core.Vault;

namespace HomeVault.Core.Replica;

/// <summary>The replica's non-clip objects: age v1 files sealed to the owners' recipients (stock `age -d` opens them).</summary>
public static class Sealed
{
    public static byte[] To(IReadOnlyList<X25519Recipient> owners, ReadOnlySpan<byte> plaintext)
    {
        using var output = new MemoryStream();
        using (var age = Age.EncryptingStream(output, owners, leaveOpen: true))
        {
            age.Write(plaintext);
            age.Complete();
        }
        return output.ToArray();
    }

    /// <summary>Opens an object sealed to the owners with one owner's identity.</summary>
    /// <exception cref="UserError">The object is not sealed to that identity or is damaged.</exception>
    public static byte[] Open(X25519Identity identity, Stream sealedObject, string what)
    {
        using var plaintext = new MemoryStream();
        try
        {
            Age.Decrypt(sealedObject, plaintext, [identity]);
        }
        catch (AgeException ex)
        {
            throw new UserError($"the replica's {what} cannot be opened with this owner's identity: {ex.Message.Split('\n')[0]}");
        }
        return plaintext.ToArray();
    }
}
