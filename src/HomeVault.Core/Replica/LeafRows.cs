using System.Globalization;
using HomeVault.Core.Audit;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>A clip object in the bucket, as a restore finds it: its size, and its plaintext size read from its age header.</summary>
public sealed record ClipObject(long CiphertextBytes, long PlaintextBytes);

/// <summary>
/// After a restore appends the audit entries newer than the catalog snapshot, the catalog rows those entries describe
/// (the minutes before a theft) are written from the entries themselves, exactly as `audit verify` ties rows to leaves:
/// a sealed or truncated clip (its size from the bucket's object), a clip deletion, a run's start and end, a gap.
/// </summary>
internal static class LeafRows
{
    /// <param name="objects">The bucket's clip objects by ciphertext SHA-256 (a clip the bucket lacks gets sizes 0 and a missing file).</param>
    public static int Rebuild(SqliteConnection db, SqliteTransaction tx, IEnumerable<AuditEntry> entries, IReadOnlyDictionary<string, ClipObject> objects)
    {
        var rebuilt = 0;
        foreach (var entry in entries)
        {
            var e = entry.Event;
            var d = e.Details;
            var camera = e.Subject.StartsWith("camera/", StringComparison.Ordinal) ? e.Subject["camera/".Length..] : d.GetValueOrDefault("camera");
            switch (e.Action)
            {
                case AuditActions.ClipSealed or AuditActions.ClipTruncated:
                    var sizes = objects.GetValueOrDefault(d["sha256"]) ?? new ClipObject(0, 0);
                    var state = e.Action == AuditActions.ClipSealed ? "complete" : "truncated";
                    if (Exec(db, tx, """
                        UPDATE clips SET state = $state, sha256 = $sha, start_ms = $start, end_ms = $end, audit_index = $leaf,
                            ciphertext_bytes = $c, plaintext_bytes = $p, pending_fragments = NULL WHERE path = $path
                        """, ("$state", state), ("$sha", d["sha256"]), ("$start", Long(d["start"])), ("$end", Long(d["end"])), ("$leaf", entry.Index),
                        ("$c", sizes.CiphertextBytes), ("$p", sizes.PlaintextBytes), ("$path", d["path"])) == 0)
                    {
                        Exec(db, tx, """
                            INSERT INTO clips (camera_id, path, start_ms, end_ms, plaintext_bytes, ciphertext_bytes, sha256, state, audit_index)
                            VALUES ($cam, $path, $start, $end, $p, $c, $sha, $state, $leaf)
                            """, ("$cam", Camera(db, tx, camera!, entry.TimeMs)), ("$path", d["path"]), ("$start", Long(d["start"])), ("$end", Long(d["end"])),
                            ("$p", sizes.PlaintextBytes), ("$c", sizes.CiphertextBytes), ("$sha", d["sha256"]), ("$state", state), ("$leaf", entry.Index));
                    }
                    break;
                case AuditActions.ClipDeleted:
                    Exec(db, tx, "UPDATE clips SET state = 'deleted', deleted_ms = $t, delete_reason = $r WHERE path = $path",
                        ("$t", entry.TimeMs), ("$r", d.GetValueOrDefault("reason")), ("$path", e.Subject));
                    break;
                case AuditActions.RunStarted:
                    Exec(db, tx, """
                        INSERT INTO recording_runs (id, camera_id, started_ms, start_leaf) VALUES ($id, $cam, $t, $leaf)
                        ON CONFLICT(id) DO UPDATE SET start_leaf = $leaf
                        """, ("$id", Long(d["run"])), ("$cam", Camera(db, tx, camera!, entry.TimeMs)), ("$t", entry.TimeMs), ("$leaf", entry.Index));
                    break;
                case AuditActions.RunEnded:
                    Exec(db, tx, """
                        INSERT INTO recording_runs (id, camera_id, started_ms, ended_ms, end_reason, end_leaf) VALUES ($id, $cam, $t, $t, $r, $leaf)
                        ON CONFLICT(id) DO UPDATE SET ended_ms = max(started_ms, $t), end_reason = $r, end_leaf = $leaf
                        """, ("$id", Long(d["run"])), ("$cam", Camera(db, tx, camera!, entry.TimeMs)), ("$t", entry.TimeMs), ("$r", d.GetValueOrDefault("reason")), ("$leaf", entry.Index));
                    break;
                case AuditActions.Gap:
                    var cam = Camera(db, tx, camera!, entry.TimeMs);
                    var to = d.GetValueOrDefault("to") is { } t ? Long(t) : (long?)null;
                    if (Exec(db, tx, """
                        UPDATE gaps SET end_ms = $to, cause = $cause, leaf = $leaf
                        WHERE id = (SELECT min(id) FROM gaps WHERE camera_id = $cam AND start_ms = $from AND leaf IS NULL)
                        """, ("$to", to), ("$cause", d["cause"]), ("$leaf", entry.Index), ("$cam", cam), ("$from", Long(d["from"]))) == 0)
                    {
                        Exec(db, tx, "INSERT INTO gaps (camera_id, start_ms, end_ms, cause, leaf) VALUES ($cam, $from, $to, $cause, $leaf)",
                            ("$cam", cam), ("$from", Long(d["from"])), ("$to", to), ("$cause", d["cause"]), ("$leaf", entry.Index));
                    }
                    break;
                default:
                    continue;
            }
            rebuilt++;
        }
        return rebuilt;
    }

    private static long Camera(SqliteConnection db, SqliteTransaction tx, string name, long timeMs)
    {
        Exec(db, tx, "INSERT INTO cameras (name, created_ms) VALUES ($n, $t) ON CONFLICT(name) DO NOTHING", ("$n", name), ("$t", timeMs));
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT id FROM cameras WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return (long)cmd.ExecuteScalar()!;
    }

    private static long Long(string value) => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int Exec(SqliteConnection db, SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd.ExecuteNonQuery();
    }
}
