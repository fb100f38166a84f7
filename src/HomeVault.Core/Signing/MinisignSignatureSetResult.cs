namespace HomeVault.Core.Signing;

/// <summary>Per-signature results of a <see cref="MinisignSignatureSet"/> check, in input order, and the distinct valid signers.</summary>
public sealed class MinisignSignatureSetResult
{
    internal MinisignSignatureSetResult(IReadOnlyList<MinisignVerificationResult> results, IReadOnlyList<MinisignPublicKey> keys)
    {
        Results = results;
        ValidKeyIds = results.Where(r => r.IsValid).Select(r => r.KeyId!.Value).ToHashSet();
        // Count signers by their Ed25519 key, not the key id: one key registered under two ids is one signer.
        DistinctValidKeyCount = results.Select((r, i) => (r, i)).Where(x => x.r.IsValid)
            .Select(x => Convert.ToBase64String(keys[x.i].RawKey.Span)).Distinct(StringComparer.Ordinal).Count();
    }

    public IReadOnlyList<MinisignVerificationResult> Results { get; }

    public IReadOnlySet<MinisignKeyId> ValidKeyIds { get; }

    /// <summary>Distinct Ed25519 public keys with a valid signature.</summary>
    public int DistinctValidKeyCount { get; }

    /// <summary>True when at least <paramref name="threshold"/> distinct keys signed validly.</summary>
    public bool Meets(int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        return DistinctValidKeyCount >= threshold;
    }
}
