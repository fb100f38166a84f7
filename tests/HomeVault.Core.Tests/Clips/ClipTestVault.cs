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
    private readonly TestInstallation _installation = new("hvclips");

    public DateTimeOffset T0 => _installation.T0;

    public DataDirectory Data => _installation.Data;

    public SqliteConnection Db => _installation.Db;

    public InstallationAudit Audit => _installation.Audit;

    public X25519Identity Alice => _installation.Alice;

    public ClipStore Store() => new(Data, Db, Audit.Log);

    /// <summary>A sealed clip of <paramref name="bytes"/> random bytes from start to end.</summary>
    public static Clip Seal(ClipStore store, string camera, DateTimeOffset start, DateTimeOffset end, int bytes = 10_000)
    {
        var open = store.Begin(camera, null, start);
        open.Write(new byte[bytes]);
        return open.Complete(end);
    }

    public AuditVerificationReport Verify() => _installation.Verify();

    public void Dispose() => _installation.Dispose();
}
