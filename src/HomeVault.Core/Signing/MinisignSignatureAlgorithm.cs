namespace HomeVault.Core.Signing;

/// <summary>The two signature algorithms of the minisign format.</summary>
public enum MinisignSignatureAlgorithm
{
    /// <summary><c>ED</c>: Ed25519 over BLAKE2b-512(message). What HomeVault signs with.</summary>
    Prehashed,

    /// <summary><c>Ed</c>: Ed25519 over the message itself (<c>minisign -S -l</c>). Verified, never produced.</summary>
    Legacy,
}
