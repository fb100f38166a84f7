using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Replica;
using HomeVault.Core.Tests.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Replica;

/// <summary>
/// A data directory with real requests (so real legal holds) and a fresh bucket on the run's gateway: clips are sealed
/// on the evening the requests ask about, replicated now, and swept by remote retention on a clock set months later.
/// </summary>
internal sealed class RetentionBucket : IDisposable
{
    public const int Days = 30;

    public RetentionBucket(S3Gateway gateway, bool objectLock = false)
    {
        Options = new ReplicaOptions
        {
            Endpoint = gateway.Endpoint, Bucket = S3Gateway.NewBucketName(), Prefix = "hv/",
            CredentialsFile = gateway.WriteCredentialsFile(Home.Data.Root), RemoteRetentionDays = Days,
        };
        Store = new ObjectStore(Options, ReplicaCredentials.Load(Options.CredentialsFile));
        Store.CreateBucketAsync(objectLock, CancellationToken.None).GetAwaiter().GetResult();
        Catalog = new CatalogConnection(Home.Db, Home.Audit.Log, Later);
    }

    public DisclosureHome Home { get; } = new();

    public ReplicaOptions Options { get; }

    public ObjectStore Store { get; }

    /// <summary>Remote retention's clock: long after the evening, and after today's uploads (and a day's lock).</summary>
    public ManualTime Later { get; } = new(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public CatalogConnection Catalog { get; }

    public RemoteRetention Retention() => new(Catalog, Store, new RequestLegalHolds(), Options, Later);

    /// <summary>A sealed clip of <paramref name="camera"/>, <paramref name="minute"/> minutes into the requests' evening.</summary>
    public Clip Seal(string camera, int minute) => Seal(camera, DisclosureHome.Evening.AddMinutes(minute));

    /// <summary>A sealed clip of <paramref name="camera"/>, one minute from <paramref name="start"/>.</summary>
    public Clip Seal(string camera, DateTimeOffset start) => ClipTestVault.Seal(Home.Store, camera, start, start.AddMinutes(1));

    /// <summary>Replicates every pending clip; the upload's clock decides the Object Lock's end (<paramref name="lockDays"/> after it).</summary>
    public async Task<Dictionary<long, string>> ReplicateAsync(TimeProvider? uploadClock = null, int? lockDays = null)
    {
        var replicator = new ClipReplicator(Home.Data, new ReplicaBacklog(Home.Db), ReplicaKeys.Load(Home.Db, Options.Prefix), Store,
            new Throttle(0, TimeProvider.System), lockDays, uploadClock ?? TimeProvider.System);
        var keys = new Dictionary<long, string>();
        while (await replicator.ReplicateNextAsync(CancellationToken.None) is { } done)
        {
            keys[done.ClipId] = done.Key;
        }
        return keys;
    }

    /// <summary>An evening clip of "garden", replicated, whose remote deletion was begun (the intent committed) and no more: what a kill -9 leaves.</summary>
    public async Task<(Clip Clip, string Key)> ReplicatedWithDeletionBegunAsync()
    {
        var clip = Seal("garden", 0);
        var key = (await ReplicateAsync())[clip.Id];
        using var work = Catalog.Write();
        ReplicaCatalog.BeginDeletion(work, clip.Id);
        work.Commit();
        return (clip, key);
    }

    public async Task<HashSet<string>> KeysInBucketAsync() =>
        [.. (await Store.ListAsync("", CancellationToken.None)).Select(o => o.Key)];

    /// <summary>The remote deletions the audit log holds: (subject, reason) each.</summary>
    public List<(string Subject, string Reason)> RemoteDeletionEntries() =>
        [.. Home.LogFrom(0).Where(e => e.Event.Action == AuditActions.ClipDeletedRemote).Select(e => (e.Event.Subject, e.Event.Details["reason"]))];

    public object? Deletion(long clipId, string column)
    {
        using var cmd = Home.Db.CreateCommand();
        cmd.CommandText = $"SELECT {column} FROM replica_deletions WHERE clip_id = $id";
        cmd.Parameters.AddWithValue("$id", clipId);
        return cmd.ExecuteScalar() is { } v and not DBNull ? v : null;
    }

    public void Dispose()
    {
        Catalog.Dispose();
        Store.Dispose();
        Home.Dispose();
    }
}
