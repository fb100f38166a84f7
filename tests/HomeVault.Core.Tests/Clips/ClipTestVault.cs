using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Vault;
using HomeVault.Tests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Clips;

/// <summary>A real data directory (catalog file, audit key, one owner "alice") for clip tests.</summary>
internal sealed class ClipTestVault : IDisposable
{
    public ClipTestVault()
    {
        Data = new DataDirectory(TestEnv.NewTempDir("hvclips"));
        Directory.CreateDirectory(Data.KeysDir);
        Db = CatalogDatabase.Open(Data.CatalogPath, create: true);
        new SettingsRepository(Db).Set(SettingsRepository.InstallId, "test");
        InstallationAudit.CreateKey(Data);
        Audit = InstallationAudit.Open(Data, Db);
        new OwnerRepository(Db).Add("alice", Alice.Recipient.ToString(), "RWQalice", T0);
    }

    public DateTimeOffset T0 { get; } = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public DataDirectory Data { get; }

    public SqliteConnection Db { get; }

    public InstallationAudit Audit { get; }

    public X25519Identity Alice { get; } = X25519Identity.Generate();

    public ClipStore Store() => new(Data, Db, Audit.Log);

    /// <summary>A sealed clip of <paramref name="bytes"/> random bytes from start to end.</summary>
    public static Clip Seal(ClipStore store, string camera, DateTimeOffset start, DateTimeOffset end, int bytes = 10_000)
    {
        var open = store.Begin(camera, null, start);
        open.Write(new byte[bytes]);
        return open.Complete(end);
    }

    public AuditVerificationReport Verify() => Audit.Log.Verify(new AuditVerifyOptions { DataDirectory = Data.Root });

    public void Dispose()
    {
        Audit.Dispose();
        Db.Dispose();
        Alice.Dispose();
    }
}
