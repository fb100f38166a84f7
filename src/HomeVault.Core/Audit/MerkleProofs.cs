using System.Numerics;
using System.Security.Cryptography;

namespace HomeVault.Core.Audit;

/// <summary>
/// Roots, inclusion proofs and consistency proofs of RFC 6962 / RFC 9162 trees. Generation follows
/// RFC 6962 §2.1.1-2.1.2 (PATH, SUBPROOF) over complete-subtree hashes, so it costs O(log n) node
/// reads; verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 in the bit-decomposition form used
/// by transparency-dev/merkle, whose semantics (and test vectors) we match exactly.
/// </summary>
public static class MerkleProofs
{
    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public static byte[] Root(IMerkleNodeSource nodes, long size)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size == 0 ? MerkleHash.EmptyRoot() : RangeHash(nodes, 0, size);
    }

    /// <summary>Audit path for leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves, leaf sibling first.</summary>
    public static IReadOnlyList<byte[]> Inclusion(IMerkleNodeSource nodes, long index, long size)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is outside a tree of size {size}");
        }
        var proof = new List<byte[]>();
        Path(nodes, index, 0, size, proof);
        return proof;
    }

    /// <summary>Consistency proof from the tree of <paramref name="size1"/> leaves to the one of <paramref name="size2"/>.</summary>
    public static IReadOnlyList<byte[]> Consistency(IMerkleNodeSource nodes, long size1, long size2)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (size1 < 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"size1 {size1} must be within 0..{size2}");
        }
        var proof = new List<byte[]>();
        if (size1 > 0 && size1 < size2)
        {
            SubProof(nodes, size1, 0, size2, true, proof);
        }
        return proof;
    }

    // RFC 6962 §2.1.1 PATH(m, D[begin:begin+n]); siblings are appended leaf-first.
    private static void Path(IMerkleNodeSource nodes, long m, long begin, long n, List<byte[]> proof)
    {
        if (n <= 1)
        {
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(nodes, m, begin, k, proof);
            proof.Add(RangeHash(nodes, begin + k, n - k));
        }
        else
        {
            Path(nodes, m - k, begin + k, n - k, proof);
            proof.Add(RangeHash(nodes, begin, k));
        }
    }

    // RFC 6962 §2.1.2 SUBPROOF(m, D[begin:begin+n], b).
    private static void SubProof(IMerkleNodeSource nodes, long m, long begin, long n, bool b, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!b)
            {
                proof.Add(RangeHash(nodes, begin, n));
            }
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(nodes, m, begin, k, b, proof);
            proof.Add(RangeHash(nodes, begin + k, n - k));
        }
        else
        {
            SubProof(nodes, m - k, begin + k, n - k, false, proof);
            proof.Add(RangeHash(nodes, begin, k));
        }
    }

    // MTH(D[begin:begin+n]) for a range that starts on a boundary of its largest power-of-two part,
    // which every range RFC 6962 recursion visits does: perfect ranges are one read, others split.
    private static byte[] RangeHash(IMerkleNodeSource nodes, long begin, long n)
    {
        if (BitOperations.IsPow2(n) && begin % n == 0)
        {
            return nodes.GetNode(BitOperations.Log2((ulong)n), begin / n);
        }
        var k = LargestPowerOfTwoBelow(n);
        return MerkleHash.Node(RangeHash(nodes, begin, k), RangeHash(nodes, begin + k, n - k));
    }

    internal static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));

    /// <summary>The root an inclusion proof implies, or null when the proof has the wrong shape.</summary>
    public static byte[]? RootFromInclusionProof(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size || leafHash.Length != MerkleHash.Size)
        {
            return null;
        }
        var (inner, border) = Decompose((ulong)index, (ulong)size);
        if (proof.Count != inner + border || proof.Any(h => h is null || h.Length != MerkleHash.Size))
        {
            return null;
        }
        var hash = leafHash.ToArray();
        for (var i = 0; i < inner; i++)
        {
            hash = ((index >> i) & 1) == 0 ? MerkleHash.Node(hash, proof[i]) : MerkleHash.Node(proof[i], hash);
        }
        for (var i = inner; i < proof.Count; i++)
        {
            hash = MerkleHash.Node(proof[i], hash);
        }
        return hash;
    }

    /// <summary>True exactly when <paramref name="proof"/> shows leaf <paramref name="leafHash"/> at <paramref name="index"/> under <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        var computed = RootFromInclusionProof(index, size, leafHash, proof);
        return computed is not null && root.Length == MerkleHash.Size && CryptographicOperations.FixedTimeEquals(computed, root);
    }

    /// <summary>True exactly when <paramref name="proof"/> shows the tree (size1, root1) is a prefix of (size2, root2).</summary>
    public static bool VerifyConsistency(long size1, long size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < size1 || proof.Any(h => h is null || h.Length != MerkleHash.Size))
        {
            return false;
        }
        if (size1 == 0)
        {
            // Every tree extends the empty one, so such a "proof" proves nothing; transparency-dev
            // rejects it and so do we (callers special-case an empty old tree).
            return false;
        }
        if (size1 == size2)
        {
            return proof.Count == 0 && root1.SequenceEqual(root2);
        }
        if (proof.Count == 0 || root1.Length != MerkleHash.Size || root2.Length != MerkleHash.Size)
        {
            return false;
        }
        var (inner, border) = Decompose((ulong)(size1 - 1), (ulong)size2);
        var shift = BitOperations.TrailingZeroCount((ulong)size1);
        inner -= shift;
        byte[] seed;
        var start = 1;
        if (size1 == 1L << shift)
        {
            seed = root1.ToArray();
            start = 0;
        }
        else
        {
            seed = proof[0];
        }
        if (proof.Count != start + inner + border)
        {
            return false;
        }
        var mask = (ulong)(size1 - 1) >> shift;
        var hash1 = seed;
        var hash2 = seed;
        for (var i = 0; i < inner; i++)
        {
            var p = proof[start + i];
            if (((mask >> i) & 1) == 1)
            {
                hash1 = MerkleHash.Node(p, hash1);
                hash2 = MerkleHash.Node(p, hash2);
            }
            else
            {
                hash2 = MerkleHash.Node(hash2, p);
            }
        }
        for (var i = start + inner; i < proof.Count; i++)
        {
            hash1 = MerkleHash.Node(proof[i], hash1);
            hash2 = MerkleHash.Node(proof[i], hash2);
        }
        return CryptographicOperations.FixedTimeEquals(hash1, root1) && CryptographicOperations.FixedTimeEquals(hash2, root2);
    }

    private static (int Inner, int Border) Decompose(ulong index, ulong size)
    {
        var inner = 64 - BitOperations.LeadingZeroCount(index ^ (size - 1));
        var border = BitOperations.PopCount(index >> inner);
        return (inner, border);
    }
}
