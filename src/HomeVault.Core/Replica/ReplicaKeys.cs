using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>
/// Object keys that tell the bucket nothing: the configured prefix, a kind, and an HMAC-SHA256 of the clip's
/// ciphertext hash under a naming key kept in the catalog (so the bucket cannot link its objects to the audit
/// log's entries, which name cameras). No camera name, no time, no owner name.
/// </summary>
public sealed class ReplicaKeys
{
    private const string NamingKeySetting = "replica_naming_key";
    private readonly byte[] _namingKey;

    private ReplicaKeys(string prefix, byte[] namingKey)
    {
        Prefix = prefix;
        _namingKey = namingKey;
    }

    public string Prefix { get; }

    /// <summary>Where clip objects live: every key <see cref="Clip"/> makes starts with this.</summary>
    public string ClipsPrefix => Prefix + "c/";

    /// <summary>The catalog's naming key, or null when it has none (a restored snapshot must bring its own).</summary>
    public static ReplicaKeys? Existing(SqliteConnection db, string prefix) =>
        new SettingsRepository(db).Get(NamingKeySetting) is { } hex ? new ReplicaKeys(prefix, Convert.FromHexString(hex)) : null;

    /// <summary>The catalog's naming key, created on first use.</summary>
    public static ReplicaKeys Load(SqliteConnection db, string prefix)
    {
        var settings = new SettingsRepository(db);
        if (settings.Get(NamingKeySetting) is not { } hex)
        {
            hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            using var tx = db.BeginTransaction();
            var inTx = new SettingsRepository(db, tx);
            if (inTx.Get(NamingKeySetting) is { } raced)
            {
                hex = raced;
            }
            else
            {
                inTx.Set(NamingKeySetting, hex);
            }
            tx.Commit();
        }
        return new ReplicaKeys(prefix, Convert.FromHexString(hex));
    }

    /// <summary>The object key of the clip whose ciphertext SHA-256 is <paramref name="sha256Hex"/>.</summary>
    public string Clip(string sha256Hex) =>
        ClipsPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(_namingKey, Encoding.ASCII.GetBytes("clip:" + sha256Hex)));
}
