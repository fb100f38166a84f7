using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Replica;
using HomeVault.Core.Tests.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Replica;

/// <summary>A data directory with sealed clips and a fresh bucket on the run's gateway, and the replicator between them.</summary>
internal sealed class ReplicaBucket : IDisposable
{
    public const string Prefix = "house-7/";

    private readonly S3Gateway _gateway;

    public ReplicaBucket(S3Gateway gateway, bool objectLock = false, long bandwidth = 0, int? lockDays = null)
    {
        _gateway = gateway;
        Options = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = Prefix,
            CredentialsFile = gateway.WriteCredentialsFile(Vault.Data.Root), BandwidthBytesPerSecond = bandwidth, ObjectLockDays = lockDays,
        };
        Store = new ObjectStore(Options, ReplicaCredentials.Load(Options.CredentialsFile));
        Store.CreateBucketAsync(objectLock, CancellationToken.None).GetAwaiter().GetResult();
    }

    public ClipTestVault Vault { get; } = new();

    public ReplicaOptions Options { get; }

    public ObjectStore Store { get; }

    public ReplicaBacklog Backlog => new(Vault.Db);

    public ClipStore Clips => Vault.Store();

    /// <summary>A replicator as `serve` builds one, over the vault's catalog.</summary>
    public ClipReplicator Replicator() => new(Vault.Data, Backlog, ReplicaKeys.Load(Vault.Db, Prefix), Store,
        new Throttle(Options.BandwidthBytesPerSecond, TimeProvider.System), Options.ObjectLockDays, TimeProvider.System);

    /// <summary>Replicates until nothing is pending; returns what was replicated.</summary>
    public async Task<List<ReplicatedClip>> DrainAsync(ClipReplicator? replicator = null)
    {
        replicator ??= Replicator();
        var done = new List<ReplicatedClip>();
        while (await replicator.ReplicateNextAsync(CancellationToken.None) is { } one)
        {
            done.Add(one);
        }
        return done;
    }

    public async Task<string> RemoteSha256Async(string key)
    {
        await using var body = await Store.OpenReadAsync(key, CancellationToken.None);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(body));
    }

    public Clip Seal(string camera, int seconds, int bytes) =>
        ClipTestVault.Seal(Clips, camera, Vault.T0.AddSeconds(seconds), Vault.T0.AddSeconds(seconds + 10), bytes);

    public void Dispose()
    {
        Store.Dispose();
        Vault.Dispose();
    }
}
