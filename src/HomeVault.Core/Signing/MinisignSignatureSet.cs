namespace HomeVault.Core.Signing;

/// <summary>
/// k-of-n owner signatures over one message: several ordinary minisign signature files (one per owner, e.g.
/// <c>manifest.json.&lt;owner&gt;.minisig</c>), each checked on its own. The caller supplies the trusted owner keys;
/// a public key counts once however many valid signatures it made, and however many key ids it appears under.
/// </summary>
public static class MinisignSignatureSet
{
    public static MinisignSignatureSetResult Verify(ReadOnlySpan<byte> message, IEnumerable<KeyValuePair<MinisignPublicKey, string>> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        byte[]? hash = null;
        var results = new List<MinisignVerificationResult>();
        var keys = new List<MinisignPublicKey>();
        foreach (var (publicKey, signatureText) in signatures)
        {
            ArgumentNullException.ThrowIfNull(publicKey);
            ArgumentNullException.ThrowIfNull(signatureText);
            keys.Add(publicKey);
            if (!MinisignSignature.TryParse(signatureText, out var signature, out var error))
            {
                results.Add(MinisignVerificationResult.Failed(MinisignFailureReason.MalformedSignature, error, null));
                continue;
            }
            results.Add(signature.Algorithm == MinisignSignatureAlgorithm.Prehashed
                ? publicKey.VerifySigned(hash ??= MinisignHash.Hash(message), signature)
                : publicKey.VerifySigned(message, signature));
        }
        return new MinisignSignatureSetResult(results, keys);
    }
}
