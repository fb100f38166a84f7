namespace HomeVault.Core.Audit;

public sealed class AuditVerifyOptions
{
    /// <summary>The data directory clip paths are relative to; null skips the clip-file checks.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Hash every live clip file (slow on large archives); false checks only that each exists.</summary>
    public bool HashClipFiles { get; init; } = true;

    /// <summary>When set, every co-signature must be by one of these keys (owners); otherwise any valid co-signature is accepted.</summary>
    public IReadOnlyCollection<NoteVerifier>? TrustedCosigners { get; init; }
}
