using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

/// <summary>Proof generation against a naive recomputation, at every size 1..300.</summary>
public sealed class MerkleProofTests
{
    private static List<byte[]> Leaves(int n) =>
        Enumerable.Range(0, n).Select(i => MerkleHash.Leaf(Encoding.UTF8.GetBytes($"leaf {i}"))).ToList();

    [Fact]
    public void Empty_and_rfc6962_hashes()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.EmptyRoot()));
        // RFC 6962 leaf of the empty string: SHA-256(0x00).
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(MerkleHash.Leaf([])));
        var l = MerkleHash.Leaf([1]);
        var r = MerkleHash.Leaf([2]);
        Assert.Equal(SHA256.HashData([0x01, .. l, .. r]), MerkleHash.Node(l, r));
    }

    [Fact]
    public void Roots_and_every_inclusion_proof_match_the_naive_tree_up_to_300()
    {
        var all = Leaves(300);
        var nodes = new MemoryNodes(all);
        var checkedProofs = 0;
        for (var n = 1; n <= 300; n++)
        {
            var root = NaiveMerkle.Root(all, 0, n);
            Assert.Equal(root, MerkleProofs.Root(nodes, n));
            for (var i = 0; i < n; i += n > 40 ? 7 : 1)
            {
                var proof = MerkleProofs.Inclusion(nodes, i, n);
                Assert.True(MerkleProofs.VerifyInclusion(i, n, all[i], proof, root), $"inclusion {i} of {n}");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, all[(i + 1) % 300], proof, root));
                if (proof.Count > 0)
                {
                    var bad = proof.Select(p => (byte[])p.Clone()).ToList();
                    bad[^1][0] ^= 1;
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, all[i], bad, root));
                }
                checkedProofs++;
            }
        }
        Assert.True(checkedProofs > 5000);
    }

    [Fact]
    public void Every_consistency_proof_matches_the_naive_tree_up_to_130()
    {
        var all = Leaves(130);
        var nodes = new MemoryNodes(all);
        for (var n = 1; n <= 130; n++)
        {
            var root2 = NaiveMerkle.Root(all, 0, n);
            Assert.False(MerkleProofs.VerifyConsistency(0, n, [], MerkleHash.EmptyRoot(), root2)); // proves nothing: rejected
            for (var m = 1; m <= n; m++)
            {
                var root1 = NaiveMerkle.Root(all, 0, m);
                var proof = MerkleProofs.Consistency(nodes, m, n);
                Assert.True(MerkleProofs.VerifyConsistency(m, n, proof, root1, root2), $"consistency {m} -> {n}");
                if (m > 0 && m < n)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, proof, NaiveMerkle.Root(all, 1, m), root2));
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, proof, root1, NaiveMerkle.Root(all, 1, n - 1)));
                }
            }
        }
    }
}
