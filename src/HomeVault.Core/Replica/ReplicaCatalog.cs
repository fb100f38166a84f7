using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>A replicated clip old enough for remote retention: its catalog row and the key of its object.</summary>
public sealed record ExpiredReplica(long ClipId, string Path, string Sha256, string Camera, DateTimeOffset Start, DateTimeOffset End, string Key);

/// <summary>
/// The catalog rows of the replica that local and remote retention read and write, inside the caller's unit of work
/// (migrations 0008 and 0009): which clips the bucket holds, the remote deletions, and the clips deleted locally
/// before they were off site.
/// </summary>
public static class ReplicaCatalog
{
    /// <summary>Whether the bucket holds the clip (a 'replicated' row; once set, never unset).</summary>
    public static bool IsReplicated(CatalogWork work, long clipId) =>
        Scalar(work, "SELECT EXISTS (SELECT 1 FROM replica_clips WHERE clip_id = $id AND state = 'replicated')", ("$id", clipId)) == 1;

    /// <summary>Every clip the bucket holds or held.</summary>
    public static HashSet<long> ReplicatedIds(CatalogWork work)
    {
        using var cmd = Command(work, "SELECT clip_id FROM replica_clips WHERE state = 'replicated'");
        using var r = cmd.ExecuteReader();
        var ids = new HashSet<long>();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }
        return ids;
    }

    /// <summary>Local retention deleted the clip before the bucket held it.</summary>
    public static void RecordNeverReplicated(CatalogWork work, long clipId, DateTimeOffset at) => Execute(work,
        "INSERT OR IGNORE INTO replica_never_replicated (clip_id, deleted_ms) VALUES ($id, $at)", ("$id", clipId), ("$at", at.ToUnixTimeMilliseconds()));

    /// <summary>
    /// Replicated clips that ended before <paramref name="endedBefore"/>, uploaded (so locked, if at all) before
    /// <paramref name="uploadedBefore"/>, whose object is not deleted yet and not waiting after a refusal, oldest first.
    /// </summary>
    public static List<ExpiredReplica> Expired(CatalogWork work, DateTimeOffset endedBefore, DateTimeOffset uploadedBefore, DateTimeOffset now)
    {
        using var cmd = Command(work, """
            SELECT c.id, c.path, c.sha256, cam.name, c.start_ms, c.end_ms, r.object_key
            FROM replica_clips r JOIN clips c ON c.id = r.clip_id JOIN cameras cam ON cam.id = c.camera_id
            LEFT JOIN replica_deletions d ON d.clip_id = c.id
            WHERE r.state = 'replicated' AND c.end_ms < $ended AND r.replicated_ms < $uploaded
              AND (d.clip_id IS NULL OR (d.state = 'deleting' AND coalesce(d.retry_ms, 0) <= $now))
            ORDER BY c.id
            """, ("$ended", endedBefore.ToUnixTimeMilliseconds()), ("$uploaded", uploadedBefore.ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeMilliseconds()));
        using var r = cmd.ExecuteReader();
        var list = new List<ExpiredReplica>();
        while (r.Read())
        {
            list.Add(new ExpiredReplica(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetString(6)));
        }
        return list;
    }

    /// <summary>The intent, committed before the store is asked: the row says 'deleting' and counts the attempt.</summary>
    public static void BeginDeletion(CatalogWork work, long clipId) => Execute(work, """
        INSERT INTO replica_deletions (clip_id, state, attempts) VALUES ($id, 'deleting', 1)
        ON CONFLICT(clip_id) DO UPDATE SET attempts = attempts + 1 WHERE state = 'deleting'
        """, ("$id", clipId));

    /// <summary>A hold now covers a clip whose deletion was begun: the intent is dropped, the object stays.</summary>
    public static void DropDeletion(CatalogWork work, long clipId) =>
        Execute(work, "DELETE FROM replica_deletions WHERE clip_id = $id AND state = 'deleting'", ("$id", clipId));

    /// <summary>The store refused the delete: the error is kept and the clip waits until <paramref name="retry"/>.</summary>
    public static void DeletionRefused(CatalogWork work, long clipId, string error, DateTimeOffset retry) => Execute(work,
        "UPDATE replica_deletions SET last_error = $e, retry_ms = $retry WHERE clip_id = $id AND state = 'deleting'",
        ("$id", clipId), ("$e", error.Length > 300 ? error[..300] : error), ("$retry", retry.ToUnixTimeMilliseconds()));

    public static void Deleted(CatalogWork work, long clipId, DateTimeOffset at) => Execute(work,
        "UPDATE replica_deletions SET state = 'deleted', last_error = NULL, retry_ms = NULL, deleted_ms = $at WHERE clip_id = $id AND state = 'deleting'",
        ("$id", clipId), ("$at", at.ToUnixTimeMilliseconds()));

    private static long Scalar(CatalogWork work, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(work, sql, parameters);
        return (long)cmd.ExecuteScalar()!;
    }

    private static void Execute(CatalogWork work, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(work, sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(CatalogWork work, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(work);
        var cmd = work.Connection.CreateCommand();
        cmd.Transaction = work.Transaction;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return cmd;
    }
}
