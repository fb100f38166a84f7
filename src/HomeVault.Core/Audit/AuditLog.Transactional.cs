using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

public sealed partial class AuditLog
{
    /// <summary>
    /// Inside the caller's transaction: the canonical bytes of entry <paramref name="index"/> and a tlog-proof of it
    /// against a checkpoint made now. A release carries the proof of its own leaf, written before the transaction
    /// commits, so a failed build leaves neither the leaf nor the package.
    /// </summary>
    internal (byte[] EntryBytes, TlogProof Proof) ProveWithin(long index, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var row = _store.Entry(transaction, index) ?? throw new AuditException($"audit log has no entry {index}");
        var checkpoint = Checkpoint(transaction);
        IReadOnlyList<byte[]> path;
        using (var nodes = new SqliteNodeSource(_store, transaction))
        {
            path = MerkleProofs.Inclusion(nodes, index, checkpoint.Size);
        }
        return (row.Entry, new TlogProof(index, path, checkpoint.Note));
    }
}
