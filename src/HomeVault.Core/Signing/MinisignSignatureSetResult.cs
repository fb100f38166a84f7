namespace HomeVault.Core.Signing;

/// <summary>Per-signature results of a <see cref="MinisignSignatureSet"/> check, in input order, and the distinct valid signers.</summary>
public sealed class MinisignSignatureSetResult
{
    internal MinisignSignatureSetResult(IReadOnlyList<MinisignVerificationResult> results)
    {
        Results = results;
        ValidKeyIds = results.Where(r => r.IsValid).Select(r => r.KeyId!.Value).ToHashSet();
    }

    public IReadOnlyList<MinisignVerificationResult> Results { get; }

    public IReadOnlySet<MinisignKeyId> ValidKeyIds { get; }

    public int DistinctValidKeyCount => ValidKeyIds.Count;

    /// <summary>True when at least <paramref name="threshold"/> distinct keys signed validly.</summary>
    public bool Meets(int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        return DistinctValidKeyCount >= threshold;
    }
}
