using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>Complete-subtree hashes read from audit_entries (level 0) and audit_nodes (levels above).</summary>
internal sealed class SqliteNodeSource : IMerkleNodeSource, IDisposable
{
    private readonly SqliteCommand _leaf;
    private readonly SqliteCommand _node;

    public SqliteNodeSource(AuditStore store, SqliteTransaction? tx)
    {
        _leaf = store.Command(tx, "SELECT leaf_hash FROM audit_entries WHERE idx = $i");
        _leaf.Parameters.Add("$i", SqliteType.Integer);
        _node = store.Command(tx, "SELECT hash FROM audit_nodes WHERE level = $l AND idx = $i");
        _node.Parameters.Add("$l", SqliteType.Integer);
        _node.Parameters.Add("$i", SqliteType.Integer);
    }

    public byte[] GetNode(int level, long index)
    {
        object? value;
        if (level == 0)
        {
            _leaf.Parameters[0].Value = index;
            value = _leaf.ExecuteScalar();
        }
        else
        {
            _node.Parameters[0].Value = level;
            _node.Parameters[1].Value = index;
            value = _node.ExecuteScalar();
        }
        return value as byte[] is { Length: MerkleHash.Size } hash
            ? hash
            : throw new AuditException($"audit log is damaged: subtree hash at level {level} index {index} is missing (run 'homevault audit verify')");
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _node.Dispose();
    }
}
