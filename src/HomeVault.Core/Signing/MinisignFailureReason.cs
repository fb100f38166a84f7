namespace HomeVault.Core.Signing;

/// <summary>Why a minisign signature did not verify.</summary>
public enum MinisignFailureReason
{
    None = 0,

    /// <summary>The signature text is not a well-formed minisign signature file.</summary>
    MalformedSignature,

    /// <summary>The signature names a different key id than the public key.</summary>
    KeyIdMismatch,

    /// <summary>The Ed25519 signature over the message (or its BLAKE2b-512 hash) is wrong.</summary>
    InvalidSignature,

    /// <summary>The message verified but the global signature over the trusted comment did not.</summary>
    InvalidTrustedComment,

    /// <summary>A legacy (non-prehashed) signature over a stream longer than the buffering cap.</summary>
    LegacyMessageTooLarge,
}
