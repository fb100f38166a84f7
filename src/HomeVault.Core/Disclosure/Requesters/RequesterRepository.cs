using System.Security.Cryptography;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Requesters;

/// <summary>Requesters and their token hashes. Rows are never deleted, only revoked, so requests stay attributable.</summary>
public sealed class RequesterRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    /// <summary>Stores a new requester; returns it. The token itself is not stored.</summary>
    /// <exception cref="CatalogException">The name is taken.</exception>
    public RequesterAccount Add(string name, string recipient, string token, DateTimeOffset now)
    {
        Names.ThrowIfInvalid(name, "requester name");
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "INSERT INTO requesters (name, recipient, token_sha256, created_ms) VALUES ($name, $recipient, $hash, $now) RETURNING id";
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$recipient", recipient);
        cmd.Parameters.AddWithValue("$hash", RequesterToken.Hash(token));
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        try
        {
            return new RequesterAccount((long)cmd.ExecuteScalar()!, name, recipient, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), null);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new CatalogException($"a requester named '{name}' already exists", ex);
        }
    }

    public IReadOnlyList<RequesterAccount> List(bool includeRevoked = true)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT id, name, recipient, created_ms, revoked_ms FROM requesters"
            + (includeRevoked ? "" : " WHERE revoked_ms IS NULL") + " ORDER BY name";
        using var reader = cmd.ExecuteReader();
        var list = new List<RequesterAccount>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }
        return list;
    }

    public RequesterAccount? Find(string name) => List().FirstOrDefault(r => r.Name == name);

    /// <summary>Marks the requester revoked; false when there is no active requester by that name.</summary>
    public bool Revoke(string name, DateTimeOffset now)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "UPDATE requesters SET revoked_ms = $now WHERE name = $name AND revoked_ms IS NULL";
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return cmd.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// The active requester holding <paramref name="token"/>, or null. Every active hash is compared in constant time,
    /// so response timing says nothing about how close a guess was.
    /// </summary>
    public RequesterAccount? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > RequesterToken.MaxLength)
        {
            return null;
        }
        var presented = RequesterToken.Hash(token);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT id, name, recipient, created_ms, revoked_ms, token_sha256 FROM requesters WHERE revoked_ms IS NULL";
        using var reader = cmd.ExecuteReader();
        RequesterAccount? match = null;
        while (reader.Read())
        {
            var stored = (byte[])reader.GetValue(5);
            if (CryptographicOperations.FixedTimeEquals(stored, presented))
            {
                match = Read(reader);
            }
        }
        return match;
    }

    /// <summary>Records which requester submitted a request.</summary>
    public void LinkRequest(string requestId, long requesterId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "INSERT INTO request_requesters (request_id, requester_id) VALUES ($request, $requester)";
        cmd.Parameters.AddWithValue("$request", requestId);
        cmd.Parameters.AddWithValue("$requester", requesterId);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The name of the requester who submitted <paramref name="requestId"/> over HTTP, if any.</summary>
    public string? SubmitterOf(string requestId)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT r.name FROM request_requesters rr JOIN requesters r ON r.id = rr.requester_id WHERE rr.request_id = $request";
        cmd.Parameters.AddWithValue("$request", requestId);
        return cmd.ExecuteScalar() as string;
    }

    private static RequesterAccount Read(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
}
