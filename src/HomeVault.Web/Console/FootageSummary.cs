using HomeVault.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace HomeVault.Web.Console;

/// <summary>Per camera: the retained clips, their bytes, and the oldest and newest footage (the retention horizon).</summary>
internal sealed record FootageSummary(string Camera, long Clips, long Bytes, DateTimeOffset? Oldest, DateTimeOffset? Newest)
{
    public static IReadOnlyList<FootageSummary> Query(SqliteConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT cam.name, count(c.id), coalesce(sum(c.ciphertext_bytes), 0), min(c.start_ms), max(c.end_ms)
            FROM cameras cam LEFT JOIN clips c ON c.camera_id = cam.id AND c.state IN ('complete', 'truncated', 'recording')
            GROUP BY cam.id ORDER BY cam.name
            """;
        using var reader = cmd.ExecuteReader();
        var list = new List<FootageSummary>();
        while (reader.Read())
        {
            list.Add(new FootageSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }
        return list;
    }

    /// <summary>A sealed clip's camera, data-directory-relative path and times, by id (under the catalog's read lock); null when unknown, deleted or still being written.</summary>
    public static (string Camera, string Path, DateTimeOffset Start, DateTimeOffset End)? FindSealedClip(WebCatalog catalog, long id)
    {
        using var read = catalog.Read();
        using var cmd = read.Connection.CreateCommand();
        cmd.CommandText = """
            SELECT cam.name, c.path, c.start_ms, c.end_ms FROM clips c JOIN cameras cam ON cam.id = c.camera_id
            WHERE c.id = $id AND c.state IN ('complete', 'truncated')
            """;
        cmd.Parameters.AddWithValue("$id", id);
        using var reader = cmd.ExecuteReader();
        return reader.Read()
            ? (reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
            : null;
    }
}
