using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Web.Hosting;

/// <summary>
/// The web side's one catalog connection and audit log. SQLite connections are not thread-safe, so every use is
/// serialised here; the recorder and CLI commands use their own connections and SQLite's locking between them.
/// </summary>
public sealed class WebCatalog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly InstallationAudit _audit;

    public WebCatalog(DataDirectory data, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        Time = time;
        _db = CatalogDatabase.Open(data.CatalogPath);
        try
        {
            _audit = InstallationAudit.Open(data, _db, time);
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    public DataDirectory Data { get; }

    public TimeProvider Time { get; }

    public T Use<T>(Func<SqliteConnection, AuditLog, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            return work(_db, _audit.Log);
        }
    }

    public void Dispose()
    {
        _audit.Dispose();
        _db.Dispose();
    }
}
