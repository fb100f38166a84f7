namespace HomeVault.Core.Audit;

/// <summary>
/// Hashes of complete (perfect) subtrees: level 0 is a leaf hash, level L index i covers leaves
/// [i·2^L, (i+1)·2^L). Proof generation only ever asks for subtrees that are complete in the tree
/// it proves against, so a store that records each subtree as it completes can answer every call.
/// </summary>
public interface IMerkleNodeSource
{
    byte[] GetNode(int level, long index);
}
