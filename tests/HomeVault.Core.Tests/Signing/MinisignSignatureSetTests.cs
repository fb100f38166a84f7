using HomeVault.Core.Signing;

namespace HomeVault.Core.Tests.Signing;

public sealed class MinisignSignatureSetTests
{
    private static readonly byte[] Manifest = "{\"files\":[]}"u8.ToArray();

    [Fact]
    public void Counts_distinct_valid_signers()
    {
        using var alice = MinisignKey.Create();
        using var bob = MinisignKey.Create();
        using var carol = MinisignKey.Create();

        var result = MinisignSignatureSet.Verify(Manifest,
        [
            new(alice.PublicKey, alice.Sign(Manifest, "alice approves").ToFileText()),
            new(bob.PublicKey, bob.Sign(Manifest, "bob approves").ToFileText()),
            new(alice.PublicKey, alice.Sign(Manifest, "alice again").ToFileText()), // a second file from alice counts once
            new(carol.PublicKey, carol.Sign("something else"u8, "carol").ToFileText()), // over another message
            new(carol.PublicKey, bob.Sign(Manifest, "bob pretending").ToFileText()), // wrong key for the file
            new(carol.PublicKey, "garbage"),
        ]);

        Assert.Equal(6, result.Results.Count);
        Assert.Equal(2, result.DistinctValidKeyCount);
        Assert.True(result.Meets(2));
        Assert.False(result.Meets(3));
        Assert.Contains(alice.KeyId, result.ValidKeyIds);
        Assert.Contains(bob.KeyId, result.ValidKeyIds);
        Assert.Equal(MinisignFailureReason.InvalidSignature, result.Results[3].Reason);
        Assert.Equal(MinisignFailureReason.KeyIdMismatch, result.Results[4].Reason);
        Assert.Equal(MinisignFailureReason.MalformedSignature, result.Results[5].Reason);
    }

    [Fact]
    public void Empty_set_meets_nothing_and_threshold_must_be_positive()
    {
        var result = MinisignSignatureSet.Verify(Manifest, []);
        Assert.Equal(0, result.DistinctValidKeyCount);
        Assert.False(result.Meets(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Meets(0));
    }

    [Fact]
    public void One_key_registered_under_two_key_ids_counts_once()
    {
        using var alice = MinisignKey.Create();
        // The key id in a signature file is not covered by the signature, so it can be rewritten at will.
        var raw = Convert.FromBase64String(alice.PublicKey.ToBase64());
        raw[2] ^= 0xFF;
        var twin = MinisignPublicKey.Parse(Convert.ToBase64String(raw));
        Assert.NotEqual(alice.KeyId, twin.KeyId);
        var sig = alice.Sign(Manifest, "approves").ToFileText().Split('\n');
        var sigBytes = Convert.FromBase64String(sig[1]);
        sigBytes[2] ^= 0xFF;
        sig[1] = Convert.ToBase64String(sigBytes);
        var rewritten = string.Join('\n', sig);

        var result = MinisignSignatureSet.Verify(Manifest,
        [
            new(alice.PublicKey, alice.Sign(Manifest, "approves").ToFileText()),
            new(twin, rewritten),
        ]);

        Assert.All(result.Results, r => Assert.True(r.IsValid, r.Message));
        Assert.Equal(1, result.DistinctValidKeyCount);
        Assert.False(result.Meets(2));
    }
}
