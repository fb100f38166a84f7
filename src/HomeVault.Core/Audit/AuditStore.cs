using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// The SQL behind the audit log (tables from migration 0002). Insert and select only: nothing
/// here updates or deletes. Every call runs inside the transaction it is given.
/// </summary>
internal sealed class AuditStore(SqliteConnection connection)
{
    public SqliteConnection Connection { get; } = connection;

    public (long Size, long LastTimeMs) Tail(SqliteTransaction? tx)
    {
        using var cmd = Command(tx, "SELECT idx, time_ms FROM audit_entries ORDER BY idx DESC LIMIT 1");
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0) + 1, r.GetInt64(1)) : (0, long.MinValue);
    }

    public void InsertEntry(SqliteTransaction tx, long index, long timeMs, byte[] entry, byte[] leafHash)
    {
        using var cmd = Command(tx, "INSERT INTO audit_entries (idx, time_ms, entry, leaf_hash) VALUES ($i, $t, $e, $h)");
        cmd.Parameters.AddWithValue("$i", index);
        cmd.Parameters.AddWithValue("$t", timeMs);
        cmd.Parameters.AddWithValue("$e", entry);
        cmd.Parameters.AddWithValue("$h", leafHash);
        cmd.ExecuteNonQuery();
    }

    public void InsertNode(SqliteTransaction tx, int level, long index, byte[] hash)
    {
        using var cmd = Command(tx, "INSERT INTO audit_nodes (level, idx, hash) VALUES ($l, $i, $h)");
        cmd.Parameters.AddWithValue("$l", level);
        cmd.Parameters.AddWithValue("$i", index);
        cmd.Parameters.AddWithValue("$h", hash);
        cmd.ExecuteNonQuery();
    }

    public byte[]? Node(SqliteTransaction? tx, int level, long index)
    {
        using var cmd = level == 0
            ? Command(tx, "SELECT leaf_hash FROM audit_entries WHERE idx = $i")
            : Command(tx, "SELECT hash FROM audit_nodes WHERE level = $l AND idx = $i");
        cmd.Parameters.AddWithValue("$l", level);
        cmd.Parameters.AddWithValue("$i", index);
        return cmd.ExecuteScalar() as byte[];
    }

    public (long TimeMs, byte[] Entry)? Entry(SqliteTransaction? tx, long index)
    {
        using var cmd = Command(tx, "SELECT time_ms, entry FROM audit_entries WHERE idx = $i");
        cmd.Parameters.AddWithValue("$i", index);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), (byte[])r.GetValue(1)) : null;
    }

    public List<(long Index, byte[] Entry)> Entries(SqliteTransaction? tx, long from, int count)
    {
        using var cmd = Command(tx, "SELECT idx, entry FROM audit_entries WHERE idx >= $f ORDER BY idx LIMIT $c");
        cmd.Parameters.AddWithValue("$f", from);
        cmd.Parameters.AddWithValue("$c", count);
        using var r = cmd.ExecuteReader();
        var list = new List<(long, byte[])>();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), (byte[])r.GetValue(1)));
        }
        return list;
    }

    public long? TimeAt(SqliteTransaction? tx, long index)
    {
        using var cmd = Command(tx, "SELECT time_ms FROM audit_entries WHERE idx = $i");
        cmd.Parameters.AddWithValue("$i", index);
        return cmd.ExecuteScalar() is long t ? t : null;
    }

    public long InsertCheckpoint(SqliteTransaction tx, long size, byte[] root, long createdMs, string note)
    {
        using var cmd = Command(tx, "INSERT INTO audit_checkpoints (tree_size, root_hash, created_ms, note) VALUES ($s, $r, $c, $n) RETURNING id");
        cmd.Parameters.AddWithValue("$s", size);
        cmd.Parameters.AddWithValue("$r", root);
        cmd.Parameters.AddWithValue("$c", createdMs);
        cmd.Parameters.AddWithValue("$n", note);
        return (long)cmd.ExecuteScalar()!;
    }

    public void InsertCosignature(SqliteTransaction tx, long checkpointId, string verifierKey, string line, long createdMs)
    {
        using var cmd = Command(tx, "INSERT INTO audit_cosignatures (checkpoint_id, verifier_key, signature_line, created_ms) VALUES ($c, $k, $l, $t)");
        cmd.Parameters.AddWithValue("$c", checkpointId);
        cmd.Parameters.AddWithValue("$k", verifierKey);
        cmd.Parameters.AddWithValue("$l", line);
        cmd.Parameters.AddWithValue("$t", createdMs);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The stored checkpoint row with its co-signature lines appended; null when absent.</summary>
    public StoredCheckpoint? Checkpoint(SqliteTransaction? tx, long? id)
    {
        using var cmd = id is null
            ? Command(tx, "SELECT id, tree_size, root_hash, created_ms, note FROM audit_checkpoints ORDER BY id DESC LIMIT 1")
            : Command(tx, "SELECT id, tree_size, root_hash, created_ms, note FROM audit_checkpoints WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", id ?? 0);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }
        var row = ReadCheckpoint(r);
        return row with { Cosignatures = Cosignatures(tx, row.Id) };
    }

    public List<StoredCheckpoint> AllCheckpoints(SqliteTransaction? tx)
    {
        var list = new List<StoredCheckpoint>();
        using (var cmd = Command(tx, "SELECT id, tree_size, root_hash, created_ms, note FROM audit_checkpoints ORDER BY id"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                list.Add(ReadCheckpoint(r));
            }
        }
        return list.Select(c => c with { Cosignatures = Cosignatures(tx, c.Id) }).ToList();
    }

    public List<(string VerifierKey, string Line)> Cosignatures(SqliteTransaction? tx, long checkpointId)
    {
        using var cmd = Command(tx, "SELECT verifier_key, signature_line FROM audit_cosignatures WHERE checkpoint_id = $c ORDER BY id");
        cmd.Parameters.AddWithValue("$c", checkpointId);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read())
        {
            list.Add((r.GetString(0), r.GetString(1)));
        }
        return list;
    }

    public SqliteCommand Command(SqliteTransaction? tx, string sql)
    {
        var cmd = Connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private static StoredCheckpoint ReadCheckpoint(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), (byte[])r.GetValue(2), r.GetInt64(3), r.GetString(4), []);
}

/// <summary>A row of audit_checkpoints plus its co-signature lines.</summary>
internal sealed record StoredCheckpoint(long Id, long TreeSize, byte[] RootHash, long CreatedMs, string Note, List<(string VerifierKey, string Line)> Cosignatures)
{
    /// <summary>The published note: the log-signed note followed by the co-signature lines.</summary>
    public string FullNote => Cosignatures.Count == 0 ? Note : Note + string.Concat(Cosignatures.Select(c => c.Line + "\n"));
}
