using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// Ties the catalog's recording runs and gaps to the log both ways, as <see cref="AuditClipChecker"/> ties clips:
/// each run row's start leaf (run.started, same camera and run) and end leaf (run.ended, same camera, run and
/// reason), each gap row's leaf (gap, same camera, from, to and cause), and every such leaf to the one row that
/// names it. Which leaves a row has is read from the row itself: a NULL leaf column is a row written without that
/// leaf by design (an open run has no end leaf), never a guess from what the log happens to hold.
/// </summary>
internal sealed class AuditRunChecker(AuditStore store, SqliteTransaction tx, long logSize)
{
    private readonly HashSet<long> _claimed = [];

    public int Runs { get; private set; }

    public int Gaps { get; private set; }

    /// <param name="leaves">Every run.started, run.ended and gap leaf in the log, by index.</param>
    public AuditProblem? Run(IReadOnlyList<(long Index, string Action)> leaves) => CheckRuns() ?? CheckGaps() ?? CheckLeavesHaveRows(leaves);

    private AuditProblem? CheckRuns()
    {
        using var cmd = store.Command(tx,
            "SELECT r.id, cam.name, r.ended_ms, r.end_reason, r.start_leaf, r.end_leaf " +
            "FROM recording_runs r JOIN cameras cam ON cam.id = r.camera_id ORDER BY r.id");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var id = Str(r.GetInt64(0));
            var what = $"run {id} of camera {r.GetString(1)}";
            var subject = "camera/" + r.GetString(1);
            if (r.GetValue(4) is long start
                && Leaf(start, AuditActions.RunStarted, what, subject, [("run", id)], AuditProblemKind.RunLeafMismatch) is { } startProblem)
            {
                return startProblem;
            }
            if (r.GetValue(5) is long end)
            {
                if (r.IsDBNull(2))
                {
                    return new AuditProblem(AuditProblemKind.RunLeafMismatch, end, $"{what} is open but names an end leaf");
                }
                var reason = r.IsDBNull(3) ? null : r.GetString(3);
                if (Leaf(end, AuditActions.RunEnded, what, subject, [("run", id), ("reason", reason)], AuditProblemKind.RunLeafMismatch) is { } endProblem)
                {
                    return endProblem;
                }
            }
            Runs++;
        }
        return null;
    }

    private AuditProblem? CheckGaps()
    {
        using var cmd = store.Command(tx,
            "SELECT g.id, cam.name, g.start_ms, g.end_ms, g.cause, g.leaf FROM gaps g JOIN cameras cam ON cam.id = g.camera_id ORDER BY g.id");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (r.GetValue(5) is long leaf)
            {
                var what = $"gap {Str(r.GetInt64(0))} of camera {r.GetString(1)}";
                var to = r.IsDBNull(3) ? null : Str(r.GetInt64(3));
                if (Leaf(leaf, AuditActions.Gap, what, "camera/" + r.GetString(1),
                    [("from", Str(r.GetInt64(2))), ("to", to), ("cause", r.GetString(4))], AuditProblemKind.GapLeafMismatch) is { } problem)
                {
                    return problem;
                }
            }
            Gaps++;
        }
        return null;
    }

    /// <summary>The leaf a row names must exist, be of its action and subject, say what the row says, and be named by no other row.</summary>
    private AuditProblem? Leaf(long index, string action, string what, string subject, (string Key, string? Value)[] details, AuditProblemKind kind)
    {
        if (index < 0 || index >= logSize)
        {
            return new AuditProblem(kind, index, $"{what} points at a leaf the log does not have", $"< {logSize}", Str(index));
        }
        var row = store.Entry(tx, index);
        var e = row is null ? null : AuditEntry.TryDecode(index, row.Value.Entry, out _)?.Event;
        if (e is null)
        {
            return new AuditProblem(kind, index, $"{what} points at a leaf that cannot be read");
        }
        if (e.Action != action)
        {
            return new AuditProblem(kind, index, $"{what} points at a leaf that does not log it", action, e.Action);
        }
        if (e.Subject != subject)
        {
            return new AuditProblem(kind, index, $"{what} row's camera differs from its audit leaf", e.Subject, subject);
        }
        foreach (var (key, expected) in details)
        {
            var found = e.Details.GetValueOrDefault(key);
            if (found != expected)
            {
                return new AuditProblem(kind, index, $"{what} row's {key} differs from its audit leaf", found, expected);
            }
        }
        return _claimed.Add(index) ? null : new AuditProblem(kind, index, $"{what} points at a leaf another row already names");
    }

    /// <summary>
    /// The other direction: every run and gap the log records must still have the row that names its leaf, so deleting
    /// a row, or unlinking it, is found.
    /// </summary>
    private AuditProblem? CheckLeavesHaveRows(IReadOnlyList<(long Index, string Action)> leaves)
    {
        foreach (var (index, action) in leaves)
        {
            if (!_claimed.Contains(index))
            {
                var (kind, table) = action == AuditActions.Gap
                    ? (AuditProblemKind.GapRowMissing, "gap")
                    : (AuditProblemKind.RunRowMissing, "run");
                return new AuditProblem(kind, index, $"the log records a {action} but no {table} row names this leaf (removed or unlinked by hand?)");
            }
        }
        return null;
    }

    private static string Str(long value) => AuditVerifier.Str(value);
}
