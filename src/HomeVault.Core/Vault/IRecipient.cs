namespace HomeVault.Core.Vault;

/// <summary>Someone a file is encrypted to. Implemented by <see cref="X25519Recipient"/> and <see cref="ScryptRecipient"/>.</summary>
public interface IRecipient
{
    /// <summary>Wraps the 16-byte file key into this recipient's stanza(s).</summary>
    internal IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey);
}
