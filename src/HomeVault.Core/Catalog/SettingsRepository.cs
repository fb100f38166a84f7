using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>Small key/value facts about this installation (install id, quorum, ...).</summary>
public sealed class SettingsRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    public const string InstallId = "install_id";

    public string? Get(string key)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT value FROM settings WHERE key = $key";
        cmd.Parameters.AddWithValue("$key", key);
        return cmd.ExecuteScalar() as string;
    }

    public void Set(string key, string value)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$value", value);
        cmd.ExecuteNonQuery();
    }
}
