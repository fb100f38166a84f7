namespace HomeVault.Core.Signing;

/// <summary>
/// Outcome of verifying one minisign signature. <see cref="TrustedComment"/> is set only when the signature
/// is valid, because before that it is just attacker-chosen text.
/// </summary>
public sealed class MinisignVerificationResult
{
    private MinisignVerificationResult(bool isValid, MinisignFailureReason reason, string message, string? trustedComment, MinisignKeyId? keyId)
    {
        IsValid = isValid;
        Reason = reason;
        Message = message;
        TrustedComment = trustedComment;
        KeyId = keyId;
    }

    public bool IsValid { get; }

    public MinisignFailureReason Reason { get; }

    /// <summary>One line for logs and users, e.g. "signature key id 1234... does not match public key 5678...".</summary>
    public string Message { get; }

    public string? TrustedComment { get; }

    /// <summary>The key id named by the signature; null when the signature text could not be parsed.</summary>
    public MinisignKeyId? KeyId { get; }

    internal static MinisignVerificationResult Valid(MinisignKeyId keyId, string trustedComment) =>
        new(true, MinisignFailureReason.None, "signature and trusted comment verified", trustedComment, keyId);

    internal static MinisignVerificationResult Failed(MinisignFailureReason reason, string message, MinisignKeyId? keyId) =>
        new(false, reason, message, null, keyId);

    public override string ToString() => IsValid ? $"valid ({KeyId}): {TrustedComment}" : $"invalid ({Reason}): {Message}";
}
