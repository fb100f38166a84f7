using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>A sealed clip the bucket does not hold yet, with the multipart upload a previous attempt left, if any.</summary>
public sealed record PendingClip(long ClipId, string Path, long CiphertextBytes, string Sha256, DateTimeOffset End, string? UploadKey, string? UploadId);

/// <summary>How far the bucket is behind the catalog: sealed clips not yet replicated, their bytes, and the end of the oldest.</summary>
public sealed record ReplicaLag(int Clips, long Bytes, DateTimeOffset? OldestEnd)
{
    public double Seconds(DateTimeOffset now) => OldestEnd is { } end ? Math.Max(0, (now - end).TotalSeconds) : 0;
}

/// <summary>
/// The replica's queue in the catalog (migration 0008): the sealed clips without a 'replicated' row, oldest first.
/// Deleted clips (retention) leave the queue. Its own connection, so it never waits on the recorder's.
/// </summary>
public sealed class ReplicaBacklog(SqliteConnection db)
{
    private const string PendingWhere = """
        c.state IN ('complete', 'truncated')
        AND NOT EXISTS (SELECT 1 FROM replica_clips r WHERE r.clip_id = c.id AND r.state = 'replicated')
        """;

    /// <summary>The oldest pending clip, or null when the bucket has them all.</summary>
    public PendingClip? Next()
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            SELECT c.id, c.path, c.ciphertext_bytes, c.sha256, c.end_ms, r.object_key, r.upload_id
            FROM clips c LEFT JOIN replica_clips r ON r.clip_id = c.id
            WHERE {PendingWhere} ORDER BY c.id LIMIT 1
            """;
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new PendingClip(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6))
            : null;
    }

    public ReplicaLag Lag()
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT count(*), coalesce(sum(c.ciphertext_bytes), 0), min(c.end_ms) FROM clips c WHERE {PendingWhere}";
        using var r = cmd.ExecuteReader();
        r.Read();
        return new ReplicaLag(r.GetInt32(0), r.GetInt64(1), r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)));
    }

    /// <summary>Sealed clips that local retention deleted under disk pressure before the bucket held them (migration 0009).</summary>
    public int NeverReplicated()
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM replica_never_replicated";
        return (int)(long)cmd.ExecuteScalar()!;
    }

    /// <summary>An attempt begins: the row says which key, and counts the attempt.</summary>
    public void Attempt(long clipId, string key) => Write("""
        INSERT INTO replica_clips (clip_id, object_key, state, attempts) VALUES ($id, $key, 'uploading', 1)
        ON CONFLICT(clip_id) DO UPDATE SET object_key = $key, attempts = attempts + 1
        """, ("$id", clipId), ("$key", key));

    /// <summary>A multipart upload began (or, null, was aborted): recorded before any part is sent, so a crash cannot orphan it.</summary>
    public void SetUpload(long clipId, string? uploadId) =>
        Write("UPDATE replica_clips SET upload_id = $u WHERE clip_id = $id", ("$id", clipId), ("$u", uploadId));

    public void Failed(long clipId, string error) =>
        Write("UPDATE replica_clips SET last_error = $e WHERE clip_id = $id", ("$id", clipId), ("$e", error.Length > 300 ? error[..300] : error));

    public void Replicated(long clipId, DateTimeOffset at) => Write(
        "UPDATE replica_clips SET state = 'replicated', upload_id = NULL, last_error = NULL, replicated_ms = $at WHERE clip_id = $id",
        ("$id", clipId), ("$at", at.ToUnixTimeMilliseconds()));

    /// <summary>Every replicated clip's object key and ciphertext hash (for `replica verify`).</summary>
    public IReadOnlyList<(long ClipId, string Key, string Sha256, long Bytes)> ListReplicated()
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT c.id, r.object_key, c.sha256, c.ciphertext_bytes FROM replica_clips r JOIN clips c ON c.id = r.clip_id WHERE r.state = 'replicated' ORDER BY c.id";
        using var r = cmd.ExecuteReader();
        var list = new List<(long, string, string, long)>();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
        }
        return list;
    }

    private void Write(string sql, params (string Name, object? Value)[] parameters)
    {
        using var tx = db.BeginTransaction();
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new CatalogException($"replica queue: clip row missing for {sql.Split(' ')[0]}");
        }
        tx.Commit();
    }
}
