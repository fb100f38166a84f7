using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Web.Hosting;

/// <summary>
/// The web side's one catalog connection and audit log, used only through a unit of work (<see cref="Read"/>,
/// <see cref="Write"/>) that holds the connection's lock; the recorder and CLI commands use their own connections and
/// SQLite's locking between them. A unit of work never spans an await.
/// </summary>
public sealed class WebCatalog : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly InstallationAudit _audit;
    private readonly CatalogConnection _catalog;

    public WebCatalog(DataDirectory data, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        Time = time;
        _db = CatalogDatabase.Open(data.CatalogPath);
        try
        {
            _audit = InstallationAudit.Open(data, _db, time);
            _catalog = new CatalogConnection(_db, _audit.Log, time);
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    public DataDirectory Data { get; }

    public TimeProvider Time { get; }

    /// <summary>The catalog, for code that takes a <see cref="CatalogConnection"/> (the request intake).</summary>
    public CatalogConnection Catalog => _catalog;

    /// <inheritdoc cref="CatalogConnection.Read"/>
    public CatalogWork Read() => _catalog.Read();

    /// <inheritdoc cref="CatalogConnection.Write"/>
    public CatalogWork Write() => _catalog.Write();

    /// <inheritdoc cref="CatalogConnection.Record"/>
    public void Record(AuditEvent auditEvent) => _catalog.Record(auditEvent);

    public void Dispose()
    {
        _audit.Dispose();
        _db.Dispose();
    }
}
