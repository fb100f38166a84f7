using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>Owners in the catalog. Owners are never deleted, only marked removed, so old clips stay attributable.</summary>
public sealed class OwnerRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    public long Add(string name, string ageRecipient, string minisignPublicKey, DateTimeOffset now)
    {
        Names.ThrowIfInvalid(name, "owner name");
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            INSERT INTO owners (name, age_recipient, minisign_public_key, created_ms)
            VALUES ($name, $recipient, $pub, $now) RETURNING id
            """;
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$recipient", ageRecipient);
        cmd.Parameters.AddWithValue("$pub", minisignPublicKey);
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        try
        {
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new CatalogException($"owner '{name}' or one of their keys already exists", ex);
        }
    }

    public IReadOnlyList<Owner> List(bool includeRemoved = false)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT id, name, age_recipient, minisign_public_key, created_ms, removed_ms FROM owners"
            + (includeRemoved ? "" : " WHERE removed_ms IS NULL") + " ORDER BY id";
        using var reader = cmd.ExecuteReader();
        var list = new List<Owner>();
        while (reader.Read())
        {
            list.Add(new Owner(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }
        return list;
    }

    public Owner? Find(string name) => List(includeRemoved: true).FirstOrDefault(o => o.Name == name);
}
