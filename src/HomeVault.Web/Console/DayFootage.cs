using Microsoft.Data.Sqlite;

namespace HomeVault.Web.Console;

/// <summary>A sealed clip on the timeline: its span and its bitrate (plaintext bytes per second), which rises with motion.</summary>
internal sealed record DayClip(long Id, DateTimeOffset Start, DateTimeOffset End, long Bytes)
{
    public long BytesPerSecond => End > Start ? (long)(Bytes / (End - Start).TotalSeconds) : 0;
}

/// <summary>A stretch without footage and why (the recorder's gap rows); an open gap runs until now.</summary>
internal sealed record DayGap(DateTimeOffset Start, DateTimeOffset End, string Cause);

/// <summary>One camera's footage and gaps over a window (a day in the owner's time zone), from the catalog alone.</summary>
internal sealed record DayFootage(string Camera, IReadOnlyList<DayClip> Clips, IReadOnlyList<DayGap> Gaps)
{
    public static DayFootage Query(SqliteConnection db, string camera, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var clips = new List<DayClip>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT c.id, c.start_ms, c.end_ms, c.plaintext_bytes FROM clips c JOIN cameras cam ON cam.id = c.camera_id
                WHERE cam.name = $camera AND c.state IN ('complete', 'truncated') AND c.end_ms > $from AND c.start_ms < $to
                ORDER BY c.start_ms, c.id
                """;
            Window(cmd, camera, from, to);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                clips.Add(new DayClip(r.GetInt64(0), Time(r.GetInt64(1)), Time(r.GetInt64(2)), r.GetInt64(3)));
            }
        }
        var gaps = new List<DayGap>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT g.start_ms, g.end_ms, g.cause FROM gaps g JOIN cameras cam ON cam.id = g.camera_id
                WHERE cam.name = $camera AND coalesce(g.end_ms, $now) > $from AND g.start_ms < $to
                ORDER BY g.start_ms, g.id
                """;
            Window(cmd, camera, from, to);
            cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                gaps.Add(new DayGap(Time(r.GetInt64(0)), r.IsDBNull(1) ? now : Time(r.GetInt64(1)), r.GetString(2)));
            }
        }
        return new DayFootage(camera, clips, gaps);
    }

    private static void Window(SqliteCommand cmd, string camera, DateTimeOffset from, DateTimeOffset to)
    {
        cmd.Parameters.AddWithValue("$camera", camera);
        cmd.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
