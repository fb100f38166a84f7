using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>Recording runs (one per camera connection) and the gaps between them.</summary>
public sealed class RunRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    public long Start(long cameraId, DateTimeOffset at)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "INSERT INTO recording_runs (camera_id, started_ms) VALUES ($camera, $at) RETURNING id";
        cmd.Parameters.AddWithValue("$camera", cameraId);
        cmd.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return (long)cmd.ExecuteScalar()!;
    }

    public void End(long runId, DateTimeOffset at, string reason)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "UPDATE recording_runs SET ended_ms = max($at, started_ms), end_reason = $reason WHERE id = $id AND ended_ms IS NULL";
        cmd.Parameters.AddWithValue("$id", runId);
        cmd.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$reason", reason);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs left open by a crash: id, camera, start and the end of their last durable clip.</summary>
    public IReadOnlyList<(long RunId, string Camera, DateTimeOffset Started, DateTimeOffset LastFootage)> ListDangling()
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            SELECT r.id, cam.name, r.started_ms, coalesce((SELECT max(end_ms) FROM clips WHERE clips.run_id = r.id), r.started_ms)
            FROM recording_runs r JOIN cameras cam ON cam.id = r.camera_id WHERE r.ended_ms IS NULL ORDER BY r.id
            """;
        using var reader = cmd.ExecuteReader();
        var list = new List<(long, string, DateTimeOffset, DateTimeOffset)>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }
        return list;
    }

    /// <summary>A gap row; <paramref name="to"/> null for a gap still open. Returns its id.</summary>
    public long AddGap(long cameraId, DateTimeOffset from, DateTimeOffset? to, string cause)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "INSERT INTO gaps (camera_id, start_ms, end_ms, cause) VALUES ($camera, $from, $to, $cause) RETURNING id";
        cmd.Parameters.AddWithValue("$camera", cameraId);
        cmd.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$to", (object?)to?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$cause", cause);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Closes an open gap with its final cause; false when no such open gap exists.</summary>
    public bool CloseGap(long gapId, DateTimeOffset to, string cause)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "UPDATE gaps SET end_ms = max($to, start_ms), cause = $cause WHERE id = $id AND end_ms IS NULL";
        cmd.Parameters.AddWithValue("$id", gapId);
        cmd.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$cause", cause);
        return cmd.ExecuteNonQuery() == 1;
    }

    /// <summary>Removes an open gap that turned out empty (footage resumed where it began).</summary>
    public void DeleteOpenGap(long gapId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "DELETE FROM gaps WHERE id = $id AND end_ms IS NULL";
        cmd.Parameters.AddWithValue("$id", gapId);
        cmd.ExecuteNonQuery();
    }

    // The audit leaf that records a row, so `audit verify` can tie the two both ways (0007_run_gap_leaves.sql).
    // A row keeps the first leaf it was given, as End keeps the first end. An open gap has no leaf yet.

    public void SetStartLeaf(long runId, long leaf) =>
        SetLeaf("UPDATE recording_runs SET start_leaf = $leaf WHERE id = $id AND start_leaf IS NULL", runId, leaf);

    public void SetEndLeaf(long runId, long leaf) =>
        SetLeaf("UPDATE recording_runs SET end_leaf = $leaf WHERE id = $id AND end_leaf IS NULL", runId, leaf);

    public void SetGapLeaf(long gapId, long leaf) =>
        SetLeaf("UPDATE gaps SET leaf = $leaf WHERE id = $id AND leaf IS NULL", gapId, leaf);

    private void SetLeaf(string sql, long id, long leaf)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$leaf", leaf);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Gaps left open by a crash: id, camera, start and cause so far.</summary>
    public IReadOnlyList<(long GapId, string Camera, DateTimeOffset From, string Cause)> ListOpenGaps()
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT g.id, cam.name, g.start_ms, g.cause FROM gaps g JOIN cameras cam ON cam.id = g.camera_id WHERE g.end_ms IS NULL ORDER BY g.id";
        using var reader = cmd.ExecuteReader();
        var list = new List<(long, string, DateTimeOffset, string)>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetString(3)));
        }
        return list;
    }
}
