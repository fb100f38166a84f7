namespace HomeVault.Core.Vault;

/// <summary>Something that can open a file. Implemented by <see cref="X25519Identity"/> and <see cref="ScryptIdentity"/>.</summary>
public interface IIdentity
{
    /// <summary>
    /// Tries to unwrap the file key from the header's stanzas into <paramref name="fileKey"/>.
    /// Returns false when no stanza is for this identity; throws <see cref="AgeException"/> when a
    /// stanza of this identity's type is malformed.
    /// </summary>
    internal bool TryUnwrap(IReadOnlyList<Stanza> stanzas, Span<byte> fileKey);
}
