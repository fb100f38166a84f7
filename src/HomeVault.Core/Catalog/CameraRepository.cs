using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>Cameras by name. Only the name is stored: URLs and credentials stay in configuration.</summary>
public sealed class CameraRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    /// <summary>The camera's id, adding it on first sight.</summary>
    public long Ensure(string name, DateTimeOffset now)
    {
        Names.ThrowIfInvalid(name, "camera name");
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            INSERT INTO cameras (name, created_ms) VALUES ($name, $now) ON CONFLICT(name) DO NOTHING;
            SELECT id FROM cameras WHERE name = $name;
            """;
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return (long)cmd.ExecuteScalar()!;
    }

    public IReadOnlyList<string> ListNames()
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT name FROM cameras ORDER BY name";
        using var reader = cmd.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }
}
