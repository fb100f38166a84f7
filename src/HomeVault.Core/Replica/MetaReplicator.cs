using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Replica;

/// <summary>What one pass of <see cref="MetaReplicator"/> sent.</summary>
public sealed record MetaSent(bool Keys, bool Catalog, AuditSegment? Segment)
{
    public bool Any => Keys || Catalog || Segment is not null;
}

/// <summary>
/// Everything a restore needs beside the clips, sent between them: each owner's passphrase-sealed identity and the
/// keys/ directory (when a key file changed), a catalog snapshot (once at start, then at most every
/// <see cref="SnapshotEvery"/> when the catalog changed) and the audit log's new entries with a checkpoint that covers
/// them (every pass; the pass signs that checkpoint when the log has grown past the last one). All but the identity
/// files, which are sealed with their owner's passphrase already, are sealed to the owners. Progress is in the catalog's
/// settings, so a crash only repeats a PUT; each object is written whole (PUT) and replaced whole.
/// With Object Lock days, the identities, the keys bundle and every audit segment are locked like the clips (small,
/// and written only when they change or once), so a thief with the recorder's credentials cannot delete what decrypts
/// the clips or the log that accounts for them. The catalog snapshot, replaced every few minutes, is not (each locked
/// version would be kept for the whole lock); instead each day's first snapshot is also kept, locked, under its own key,
/// which a restore starts from (with the locked audit segments after it) when the latest is gone.
/// </summary>
public sealed class MetaReplicator(DataDirectory data, SqliteConnection db, ObjectStore store, ReplicaLayout layout, int? objectLockDays, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan SnapshotEvery = TimeSpan.FromMinutes(5);
    internal const string KeysDigestSetting = "replica_keys_digest";
    internal const string AuditNextSetting = "replica_audit_next";
    internal const string DailySnapshotSetting = "replica_daily_snapshot";

    private readonly InstallationAudit _audit = InstallationAudit.Open(data, db, time);

    /// <summary>The restore objects' sender for <paramref name="options"/>' bucket over <paramref name="db"/>, as `serve` and `replica sync` run it.</summary>
    public static MetaReplicator For(ReplicaOptions options, DataDirectory data, SqliteConnection db, ObjectStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(data, db, store, new ReplicaLayout(options.Prefix), options.ObjectLockDays, time);
    }
    private DateTimeOffset? _snapshotAt;
    private long _snapshotVersion;

    public async Task<MetaSent> SendDueAsync(CancellationToken ct)
    {
        var owners = Owners();
        var keys = await SendKeysAsync(owners, ct).ConfigureAwait(false);
        var catalog = await SendSnapshotIfDueAsync(owners, ct).ConfigureAwait(false);
        var segment = await SendAuditAsync(owners, ct).ConfigureAwait(false);
        return new MetaSent(keys, catalog, segment);
    }

    private async Task<bool> SendKeysAsync(IReadOnlyList<(string Recipient, string Name)> owners, CancellationToken ct)
    {
        var (tar, digest) = KeysBundle.Read(data);
        var settings = new SettingsRepository(db);
        if (settings.Get(KeysDigestSetting) == digest)
        {
            return false;
        }
        foreach (var (recipient, name) in owners)
        {
            await PutAsync(layout.Owner(recipient), await File.ReadAllBytesAsync(data.OwnerIdentityPath(name), ct).ConfigureAwait(false), LockUntil(), ct).ConfigureAwait(false);
        }
        await PutAsync(layout.KeysBundle, Sealed.To(Recipients(owners), tar), LockUntil(), ct).ConfigureAwait(false);
        settings.Set(KeysDigestSetting, digest);
        return true;
    }

    private async Task<bool> SendSnapshotIfDueAsync(IReadOnlyList<(string Recipient, string Name)> owners, CancellationToken ct)
    {
        var version = Scalar("PRAGMA data_version");
        var now = time.GetUtcNow();
        if (_snapshotAt is { } last && (version == _snapshotVersion || now - last < SnapshotEvery))
        {
            return false;
        }
        _ = ReplicaKeys.Load(db, layout.Prefix); // the clips' naming key is in every snapshot, even one taken before the first clip went
        // VACUUM INTO makes a consistent copy beside the catalog (no footage in it, as private as catalog.db); it is
        // sealed in memory and removed at once.
        var copy = Path.Combine(data.Root, "replica-snapshot.tmp");
        File.Delete(copy);
        byte[] plain;
        try
        {
            using (var cmd = db.CreateCommand())
            {
                cmd.CommandText = "VACUUM INTO $path";
                cmd.Parameters.AddWithValue("$path", copy);
                cmd.ExecuteNonQuery();
            }
            plain = await File.ReadAllBytesAsync(copy, ct).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(copy);
        }
        var sealedSnapshot = Sealed.To(Recipients(owners), plain);
        await PutAsync(layout.CatalogSnapshot, sealedSnapshot, null, ct).ConfigureAwait(false);
        var settings = new SettingsRepository(db);
        if (LockUntil() is { } until && layout.DailySnapshot(now) is var daily && settings.Get(DailySnapshotSetting) != daily)
        {
            await PutAsync(daily, sealedSnapshot, until, ct).ConfigureAwait(false);
            settings.Set(DailySnapshotSetting, daily);
        }
        _snapshotAt = now;
        _snapshotVersion = version;
        return true;
    }

    private async Task<AuditSegment?> SendAuditAsync(IReadOnlyList<(string Recipient, string Name)> owners, CancellationToken ct)
    {
        var settings = new SettingsRepository(db);
        var next = long.TryParse(settings.Get(AuditNextSetting), out var n) ? n : 0;
        if (_audit.Log.Size() <= next)
        {
            return null;
        }
        var checkpoint = _audit.Log.Checkpoint();
        var segment = Segment(next, checkpoint.Size);
        await PutAsync(layout.AuditSegment(next), Sealed.To(Recipients(owners), segment.Encode()), LockUntil(), ct).ConfigureAwait(false);
        settings.Set(AuditNextSetting, segment.Next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return segment;
    }

    /// <summary>Entries [first, size) and the log-signed note (without co-signatures) of the checkpoint at size.</summary>
    private AuditSegment Segment(long first, long size)
    {
        var entries = new List<byte[]>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT entry FROM audit_entries WHERE idx >= $f AND idx < $s ORDER BY idx";
            cmd.Parameters.AddWithValue("$f", first);
            cmd.Parameters.AddWithValue("$s", size);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                entries.Add((byte[])r.GetValue(0));
            }
        }
        using var cp = db.CreateCommand();
        cp.CommandText = "SELECT note, created_ms FROM audit_checkpoints WHERE tree_size = $s ORDER BY id DESC LIMIT 1";
        cp.Parameters.AddWithValue("$s", size);
        using var row = cp.ExecuteReader();
        row.Read();
        return new AuditSegment(first, row.GetInt64(1), entries, row.GetString(0));
    }

    private List<(string Recipient, string Name)> Owners()
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT age_recipient, name FROM owners WHERE removed_ms IS NULL ORDER BY id";
        using var r = cmd.ExecuteReader();
        var owners = new List<(string Recipient, string Name)>();
        while (r.Read())
        {
            owners.Add((r.GetString(0), r.GetString(1)));
        }
        return owners;
    }

    private static List<X25519Recipient> Recipients(IReadOnlyList<(string Recipient, string Name)> owners) =>
        [.. owners.Select(o => X25519Recipient.Parse(o.Recipient))];

    private long Scalar(string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private DateTimeOffset? LockUntil() => objectLockDays is { } days ? time.GetUtcNow().AddDays(days) : null;

    private async Task PutAsync(string key, byte[] body, DateTimeOffset? lockUntil, CancellationToken ct)
    {
        var md5 = S3Md5.Of(body);
        var etag = await store.PutAsync(key, body, Convert.ToBase64String(md5), lockUntil, ct).ConfigureAwait(false);
        if (!string.Equals(etag, Convert.ToHexStringLower(md5), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"the bucket's ETag for a replica object is {etag}, expected {Convert.ToHexStringLower(md5)}");
        }
    }

    public void Dispose() => _audit.Dispose();
}
