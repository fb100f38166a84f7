using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>Clip rows. Rows are added only after the clip file and its directory are fsynced.</summary>
public sealed class ClipRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    private const string Columns = """
        c.id, cam.name, c.run_id, c.path, c.start_ms, c.end_ms, c.plaintext_bytes, c.ciphertext_bytes,
        c.sha256, c.state, c.audit_index
        """;

    public long Add(long cameraId, long? runId, string relativePath, DateTimeOffset start, DateTimeOffset end,
        long plaintextBytes, long ciphertextBytes, string? sha256, ClipState state, string? bootId = null)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            INSERT INTO clips (camera_id, run_id, path, start_ms, end_ms, plaintext_bytes, ciphertext_bytes, sha256, state, boot_id)
            VALUES ($camera, $run, $path, $start, $end, $pbytes, $cbytes, $sha, $state, $boot) RETURNING id
            """;
        cmd.Parameters.AddWithValue("$camera", cameraId);
        cmd.Parameters.AddWithValue("$run", (object?)runId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$path", relativePath);
        cmd.Parameters.AddWithValue("$start", start.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$end", end.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$pbytes", plaintextBytes);
        cmd.Parameters.AddWithValue("$cbytes", ciphertextBytes);
        cmd.Parameters.AddWithValue("$sha", (object?)sha256 ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$state", ToDb(state));
        cmd.Parameters.AddWithValue("$boot", (object?)bootId ?? DBNull.Value);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// Records how far a clip being written is durable (fsynced: <paramref name="end"/>, the bytes) and, before
    /// more of its ciphertext reaches the file, where the fragments beyond that end (<paramref name="pendingFragments"/>,
    /// see migration 0006) and, once the final chunk is about to be written, the whole clip's plaintext length.
    /// </summary>
    public void UpdateProgress(long clipId, DateTimeOffset end, long plaintextBytes, long ciphertextBytes, string? pendingFragments, long? finalPlaintext)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            UPDATE clips SET end_ms = max($end, start_ms), plaintext_bytes = $p, ciphertext_bytes = $c, pending_fragments = $f, final_plaintext = $final
            WHERE id = $id AND state = 'recording'
            """;
        cmd.Parameters.AddWithValue("$id", clipId);
        cmd.Parameters.AddWithValue("$end", end.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$p", plaintextBytes);
        cmd.Parameters.AddWithValue("$c", ciphertextBytes);
        cmd.Parameters.AddWithValue("$f", (object?)pendingFragments ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$final", (object?)finalPlaintext ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>What the last progress row of a clip being written said beyond its durable end and bytes, and the boot it was begun in.</summary>
    public OpenClipProgress PendingProgress(long clipId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT pending_fragments, final_plaintext, boot_id FROM clips WHERE id = $id AND state = 'recording'";
        cmd.Parameters.AddWithValue("$id", clipId);
        using var reader = cmd.ExecuteReader();
        return reader.Read()
            ? new OpenClipProgress(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : new OpenClipProgress(null, null, null);
    }

    /// <summary>Turns a 'recording' row into a sealed one (complete or truncated) with its ciphertext hash.</summary>
    public void Seal(long clipId, DateTimeOffset end, long plaintextBytes, long ciphertextBytes, string sha256, ClipState state)
    {
        if (state is not (ClipState.Complete or ClipState.Truncated))
        {
            throw new ArgumentOutOfRangeException(nameof(state), "a clip is sealed as complete or truncated");
        }
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            UPDATE clips SET end_ms = max($end, start_ms), plaintext_bytes = $p, ciphertext_bytes = $c, sha256 = $sha, state = $state,
                pending_fragments = NULL, final_plaintext = NULL
            WHERE id = $id AND state = 'recording'
            """;
        cmd.Parameters.AddWithValue("$id", clipId);
        cmd.Parameters.AddWithValue("$end", end.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$p", plaintextBytes);
        cmd.Parameters.AddWithValue("$c", ciphertextBytes);
        cmd.Parameters.AddWithValue("$sha", sha256);
        cmd.Parameters.AddWithValue("$state", ToDb(state));
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new CatalogException($"clip {clipId} is not being recorded; it cannot be sealed again");
        }
    }

    /// <summary>Marks a clip deleted (its file is removed by the caller after this commits). The row stays, for the record.</summary>
    public void MarkDeleted(long clipId, string sha256, DateTimeOffset at, string reason)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            UPDATE clips SET state = 'deleted', sha256 = coalesce(sha256, $sha), deleted_ms = $at, delete_reason = $reason
            WHERE id = $id AND state <> 'deleted'
            """;
        cmd.Parameters.AddWithValue("$id", clipId);
        cmd.Parameters.AddWithValue("$sha", sha256);
        cmd.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$reason", reason);
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new CatalogException($"clip {clipId} is missing or already deleted");
        }
    }

    /// <summary>Every path the catalog knows, deleted or not (to spot orphan files).</summary>
    public HashSet<string> AllPaths()
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT path FROM clips";
        using var reader = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            set.Add(reader.GetString(0));
        }
        return set;
    }

    /// <summary>Clips left in 'recording' by a crash: the next start seals them as truncated.</summary>
    public IReadOnlyList<Clip> ListRecording()
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"SELECT {Columns} FROM clips c JOIN cameras cam ON cam.id = c.camera_id WHERE c.state = 'recording' ORDER BY c.id";
        using var reader = cmd.ExecuteReader();
        var list = new List<Clip>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }
        return list;
    }

    public void SetAuditIndex(long clipId, long auditIndex)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "UPDATE clips SET audit_index = $index WHERE id = $id AND audit_index IS NULL";
        cmd.Parameters.AddWithValue("$index", auditIndex);
        cmd.Parameters.AddWithValue("$id", clipId);
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new CatalogException($"clip {clipId} is missing or already linked to the audit log");
        }
    }

    /// <summary>Clips overlapping [from, to), oldest first; deleted ones only when asked.</summary>
    public IReadOnlyList<Clip> Query(string? camera = null, DateTimeOffset? from = null, DateTimeOffset? to = null, bool includeDeleted = false)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"""
            SELECT {Columns} FROM clips c JOIN cameras cam ON cam.id = c.camera_id
            WHERE ($camera IS NULL OR cam.name = $camera)
              AND ($from IS NULL OR c.end_ms > $from)
              AND ($to IS NULL OR c.start_ms < $to)
              AND ($all = 1 OR c.state IN ('complete', 'truncated'))
            ORDER BY c.start_ms, c.id
            """;
        cmd.Parameters.AddWithValue("$camera", (object?)camera ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$from", (object?)from?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$to", (object?)to?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$all", includeDeleted ? 1 : 0);
        using var reader = cmd.ExecuteReader();
        var list = new List<Clip>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }
        return list;
    }

    public Clip? FindByPath(string relativePath)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"SELECT {Columns} FROM clips c JOIN cameras cam ON cam.id = c.camera_id WHERE c.path = $path";
        cmd.Parameters.AddWithValue("$path", relativePath);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static Clip Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        r.GetInt64(6), r.GetInt64(7), r.IsDBNull(8) ? null : r.GetString(8), FromDb(r.GetString(9)), r.IsDBNull(10) ? null : r.GetInt64(10));

    internal static string ToDb(ClipState state) => state switch
    {
        ClipState.Recording => "recording",
        ClipState.Complete => "complete",
        ClipState.Truncated => "truncated",
        ClipState.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    private static ClipState FromDb(string value) => value switch
    {
        "recording" => ClipState.Recording,
        "complete" => ClipState.Complete,
        "truncated" => ClipState.Truncated,
        "deleted" => ClipState.Deleted,
        _ => throw new CatalogException($"clip state '{value}' is not one HomeVault writes"),
    };
}
