using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Tests;

/// <summary>A real initialised data directory: catalog file, audit key and log, one owner "alice" with her identity.</summary>
internal sealed class TestInstallation : IDisposable
{
    public TestInstallation(string prefix)
    {
        Data = new DataDirectory(TestEnv.NewTempDir(prefix));
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

    public AuditVerificationReport Verify() => Audit.Log.Verify(new AuditVerifyOptions { DataDirectory = Data.Root });

    public void Dispose()
    {
        Audit.Dispose();
        Db.Dispose();
        Alice.Dispose();
    }
}
