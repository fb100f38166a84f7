using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Releases;

/// <summary>Release rows in the catalog (migration 0004). State changes take the caller's transaction so they commit with their audit leaf.</summary>
public sealed class ReleaseRepository(SqliteConnection connection, SqliteTransaction? transaction = null)
{
    private const string Columns = "request_id, directory, tar_path, token_sha256, manifest_sha256, built_ms, expires_ms, state, ended_ms, clips, bytes, downloads, audit_index";

    public void Add(ReleaseRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var cmd = Command($"INSERT INTO releases ({Columns}) VALUES ($id, $dir, $tar, $token, $manifest, $built, $expires, 'active', NULL, $clips, $bytes, 0, $audit)");
        cmd.Parameters.AddWithValue("$id", r.RequestId);
        cmd.Parameters.AddWithValue("$dir", r.Directory);
        cmd.Parameters.AddWithValue("$tar", r.TarPath);
        cmd.Parameters.AddWithValue("$token", r.TokenSha256);
        cmd.Parameters.AddWithValue("$manifest", r.ManifestSha256);
        cmd.Parameters.AddWithValue("$built", r.Built.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$expires", r.Expires.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$clips", r.Clips);
        cmd.Parameters.AddWithValue("$bytes", r.Bytes);
        cmd.Parameters.AddWithValue("$audit", r.AuditIndex);
        cmd.ExecuteNonQuery();
    }

    public ReleaseRecord? Find(string requestId)
    {
        using var cmd = Command($"SELECT {Columns} FROM releases WHERE request_id = $id");
        cmd.Parameters.AddWithValue("$id", requestId);
        return ReadAll(cmd).FirstOrDefault();
    }

    /// <summary>The release whose token hashes to <paramref name="tokenSha256"/> (an indexed lookup on the hash, never on the token).</summary>
    public ReleaseRecord? FindByTokenHash(string tokenSha256)
    {
        using var cmd = Command($"SELECT {Columns} FROM releases WHERE token_sha256 = $token");
        cmd.Parameters.AddWithValue("$token", tokenSha256);
        return ReadAll(cmd).FirstOrDefault();
    }

    /// <summary>Every release, newest first.</summary>
    public IReadOnlyList<ReleaseRecord> List()
    {
        using var cmd = Command($"SELECT {Columns} FROM releases ORDER BY built_ms DESC, request_id");
        return ReadAll(cmd);
    }

    /// <summary>Active releases whose expiry is at or before <paramref name="now"/>.</summary>
    public IReadOnlyList<ReleaseRecord> Due(DateTimeOffset now)
    {
        using var cmd = Command($"SELECT {Columns} FROM releases WHERE state = 'active' AND expires_ms <= $now ORDER BY expires_ms");
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return ReadAll(cmd);
    }

    /// <summary>Ends an active release (revoked or expired).</summary>
    /// <exception cref="ReleaseException">It is not active (any more).</exception>
    public void End(string requestId, ReleaseState state, DateTimeOffset at)
    {
        using var cmd = Command("UPDATE releases SET state = $state, ended_ms = $at WHERE request_id = $id AND state = 'active'");
        cmd.Parameters.AddWithValue("$state", ToDb(state));
        cmd.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$id", requestId);
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new ReleaseException($"release {requestId}: not active");
        }
    }

    public void CountDownload(string requestId)
    {
        using var cmd = Command("UPDATE releases SET downloads = downloads + 1 WHERE request_id = $id AND state = 'active'");
        cmd.Parameters.AddWithValue("$id", requestId);
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new ReleaseException($"release {requestId}: not active");
        }
    }

    public static string ToDb(ReleaseState state) => state switch
    {
        ReleaseState.Active => "active",
        ReleaseState.Revoked => "revoked",
        ReleaseState.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    private static ReleaseState FromDb(string s) => s switch
    {
        "active" => ReleaseState.Active,
        "revoked" => ReleaseState.Revoked,
        "expired" => ReleaseState.Expired,
        _ => throw new CatalogException($"release state '{s}' is not one HomeVault writes"),
    };

    private SqliteCommand Command(string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        return cmd;
    }

    private static List<ReleaseRecord> ReadAll(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<ReleaseRecord>();
        while (r.Read())
        {
            list.Add(new ReleaseRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
                FromDb(r.GetString(7)), r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
                r.GetInt32(9), r.GetInt64(10), r.GetInt32(11), r.GetInt64(12)));
        }
        return list;
    }
}
