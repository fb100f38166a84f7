namespace HomeVault.Core.Vault;

/// <summary>Why an age operation failed; maps onto the C2SP CCTV failure categories.</summary>
public enum AgeErrorKind
{
    /// <summary>The header is malformed or violates a stanza rule (CCTV "header failure").</summary>
    InvalidHeader,

    /// <summary>The header parsed but its MAC does not verify (CCTV "HMAC failure").</summary>
    HeaderMacMismatch,

    /// <summary>None of the given identities can unwrap the file key (CCTV "no match").</summary>
    NoIdentityMatched,

    /// <summary>A payload chunk failed authentication or is malformed (CCTV "payload failure").</summary>
    PayloadCorrupt,

    /// <summary>The payload ends without a final chunk: the file was cut short (CCTV "payload failure").</summary>
    Truncated,

    /// <summary>Bytes follow the final chunk (CCTV "payload failure").</summary>
    TrailingData,

    /// <summary>The ASCII armor is malformed (CCTV "armor failure").</summary>
    InvalidArmor,

    /// <summary>A recipient or identity string (Bech32, identity file) is malformed.</summary>
    InvalidKey,
}
