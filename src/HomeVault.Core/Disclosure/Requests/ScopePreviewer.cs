using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>Builds <see cref="ScopePreview"/>s from the catalog's clips and gaps.</summary>
public sealed class ScopePreviewer(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    /// <summary>Holes between clips up to this long are fragment/keyframe jitter, not missing footage.</summary>
    public static readonly TimeSpan HoleThreshold = TimeSpan.FromSeconds(2);

    public ScopePreview Preview(RequestScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Preview(scope.Cameras, scope.From, scope.To);
    }

    public ScopePreview Preview(IEnumerable<string> cameras, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        if (to <= from)
        {
            throw new ArgumentException("the window's end must be after its start", nameof(to));
        }
        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        var list = cameras.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(c => PreviewCamera(c, f, t)).ToList();
        return new ScopePreview(from, to, list);
    }

    private CameraPreview PreviewCamera(string camera, long from, long to)
    {
        var clips = new List<(long Start, long End, long Cipher, long Plain)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = transaction;
            cmd.CommandText = """
                SELECT c.start_ms, c.end_ms, c.ciphertext_bytes, c.plaintext_bytes
                FROM clips c JOIN cameras cam ON cam.id = c.camera_id
                WHERE cam.name = $camera AND c.state <> 'deleted' AND c.end_ms > $from AND c.start_ms < $to
                ORDER BY c.start_ms, c.id
                """;
            cmd.Parameters.AddWithValue("$camera", camera);
            cmd.Parameters.AddWithValue("$from", from);
            cmd.Parameters.AddWithValue("$to", to);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                clips.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));
            }
        }
        var recorded = RecordedGaps(camera, from, to);

        // Walk the clips clipped to the window, merging overlaps so footage is counted once and holes are real.
        long footage = 0, cursor = from;
        var holes = new List<(long From, long To)>();
        foreach (var (start, end, _, _) in clips)
        {
            long s = Math.Max(start, from), e = Math.Min(end, to);
            if (s > cursor)
            {
                holes.Add((cursor, s));
            }
            if (e > cursor)
            {
                footage += e - Math.Max(s, cursor);
                cursor = e;
            }
        }
        if (cursor < to)
        {
            holes.Add((cursor, to));
        }
        // Holes the recorder explained are reported once, with its cause; only the unexplained rest is inferred.
        var gaps = recorded.ToList();
        foreach (var (hf, ht) in holes)
        {
            foreach (var (pf, pt) in Subtract(hf, ht, recorded))
            {
                if (pt - pf > (long)HoleThreshold.TotalMilliseconds)
                {
                    gaps.Add(new FootageGap(Ms(pf), Ms(pt), FootageGap.NoClipCause, Recorded: false));
                }
            }
        }
        gaps.Sort((a, b) => a.From != b.From ? a.From.CompareTo(b.From) : a.To.CompareTo(b.To));
        return new CameraPreview(camera, clips.Count, TimeSpan.FromMilliseconds(footage),
            clips.Sum(c => c.Cipher), clips.Sum(c => c.Plain), gaps);
    }

    private static List<(long From, long To)> Subtract(long from, long to, List<FootageGap> covered)
    {
        var pieces = new List<(long, long)>();
        var cursor = from;
        foreach (var g in covered.OrderBy(g => g.From))
        {
            long gf = g.From.ToUnixTimeMilliseconds(), gt = g.To.ToUnixTimeMilliseconds();
            if (gt <= cursor || gf >= to)
            {
                continue;
            }
            if (gf > cursor)
            {
                pieces.Add((cursor, gf));
            }
            cursor = Math.Max(cursor, gt);
        }
        if (cursor < to)
        {
            pieces.Add((cursor, to));
        }
        return pieces;
    }

    private List<FootageGap> RecordedGaps(string camera, long from, long to)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        // An open gap (end_ms NULL) is still going on: it reaches the end of the window.
        cmd.CommandText = """
            SELECT g.start_ms, g.end_ms, g.cause FROM gaps g JOIN cameras cam ON cam.id = g.camera_id
            WHERE cam.name = $camera AND (g.end_ms IS NULL OR g.end_ms > $from) AND g.start_ms < $to
            ORDER BY g.start_ms, g.id
            """;
        cmd.Parameters.AddWithValue("$camera", camera);
        cmd.Parameters.AddWithValue("$from", from);
        cmd.Parameters.AddWithValue("$to", to);
        using var r = cmd.ExecuteReader();
        var list = new List<FootageGap>();
        while (r.Read())
        {
            var end = r.IsDBNull(1) ? to : Math.Min(r.GetInt64(1), to);
            list.Add(new FootageGap(Ms(Math.Max(r.GetInt64(0), from)), Ms(end), r.GetString(2), Recorded: true));
        }
        return list;
    }

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
