using System.Net;
using System.Text;
using Amazon.S3;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Replica;

/// <summary>What a restore rebuilt.</summary>
public sealed record RestoreReport(RestoredLogReport Log, ClipDownloadReport? Clips);

/// <summary>
/// Rebuilds a data directory from the bucket with nothing but its credentials and one owner's passphrase (the theft
/// case): the passphrase opens that owner's sealed identity file under `o/`; the identity opens the keys bundle and the
/// catalog snapshot, which become the new directory's keys/ and catalog.db; the audit segments newer than the snapshot
/// are appended and checked against their signed checkpoints (<see cref="RestoredLog"/>); then, unless asked not to,
/// every sealed clip is downloaded and hash-checked (<see cref="ClipDownloads"/>). Nothing is written before the
/// passphrase has opened an identity and the keys and catalog have opened with it; a restore that fails after that
/// removes what it wrote.
/// </summary>
public static class ReplicaRestore
{
    public static async Task<RestoreReport> RunAsync(ObjectStore store, string prefix, char[] passphrase, string target, bool downloadClips, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var data = new DataDirectory(target);
        var existed = IO.NewDirectory.Check(data.Root);
        var layout = new ReplicaLayout(prefix);
        using var identity = await UnlockAsync(store, layout, passphrase, ct).ConfigureAwait(false);
        var keys = await OpenAsync(store, identity, layout.KeysBundle, "keys bundle", ct).ConfigureAwait(false);
        var catalog = await OpenSnapshotAsync(store, identity, layout, ct).ConfigureAwait(false);
        try
        {
            IO.Durable.CreatePrivateDirectory(data.KeysDir);
            KeysBundle.Extract(keys, data.KeysDir);
            IO.Durable.CreateNew(data.CatalogPath, catalog);
            using var db = CatalogDatabase.Open(data.CatalogPath);
            // A new naming key would name no object in the bucket and so mark every clip lost: the snapshot must hold its own.
            var clipKeys = ReplicaKeys.Existing(db, prefix)
                ?? throw new UserError($"the catalog snapshot in bucket {store.Bucket} has no replica naming key, so its clips cannot be found; nothing was restored");
            var log = await RestoredLog.ApplyAsync(data, db, store, layout, clipKeys, identity, ct).ConfigureAwait(false);
            var clips = downloadClips ? await ClipDownloads.RunAsync(data, db, store, clipKeys, null, ct).ConfigureAwait(false) : null;
            return new RestoreReport(log, clips);
        }
        catch
        {
            IO.NewDirectory.RemoveCreated(data.Root, existed);
            throw;
        }
    }

    /// <summary>The identity of the owner whose sealed identity file the passphrase opens.</summary>
    private static async Task<X25519Identity> UnlockAsync(ObjectStore store, ReplicaLayout layout, char[] passphrase, CancellationToken ct)
    {
        var owners = await store.ListAsync(layout.OwnersPrefix, ct).ConfigureAwait(false);
        if (owners.Count == 0)
        {
            throw new UserError($"bucket {store.Bucket} holds no HomeVault replica under prefix '{layout.Prefix}' (no owner key objects)");
        }
        using var scrypt = new ScryptIdentity(passphrase);
        foreach (var (key, _) in owners)
        {
            using var body = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
            using var plaintext = new MemoryStream();
            try
            {
                Age.Decrypt(body, plaintext, [scrypt]);
            }
            catch (AgeException)
            {
                continue; // another owner's file (or not an identity file at all)
            }
            var identities = IdentityFile.Parse(Encoding.UTF8.GetString(plaintext.GetBuffer(), 0, (int)plaintext.Length));
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext.GetBuffer());
            if (identities.Count == 1)
            {
                return identities[0];
            }
        }
        throw new UserError($"wrong passphrase: it opens none of the {owners.Count} owner key(s) in bucket {store.Bucket}; nothing was written");
    }

    /// <summary>
    /// The latest catalog snapshot, or when a thief deleted it (it is not locked), the newest locked daily one: the
    /// audit segments after it bring the catalog up to date.
    /// </summary>
    private static async Task<byte[]> OpenSnapshotAsync(ObjectStore store, X25519Identity identity, ReplicaLayout layout, CancellationToken ct)
    {
        try
        {
            return await OpenAsync(store, identity, layout.CatalogSnapshot, "catalog snapshot", ct).ConfigureAwait(false);
        }
        catch (UserError)
        {
            var daily = (await store.ListAsync(layout.DailySnapshotPrefix, ct).ConfigureAwait(false)).MaxBy(o => o.Key, StringComparer.Ordinal).Key;
            if (daily is null)
            {
                throw;
            }
            return await OpenAsync(store, identity, daily, "daily catalog snapshot", ct).ConfigureAwait(false);
        }
    }

    /// <summary>The plaintext of an object sealed to the owners.</summary>
    private static async Task<byte[]> OpenAsync(ObjectStore store, X25519Identity identity, string key, string what, CancellationToken ct)
    {
        try
        {
            using var body = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
            return Sealed.Open(identity, body, what);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new UserError($"bucket {store.Bucket} has no replica {what} yet (the recorder sends it beside the first clips)");
        }
    }
}
