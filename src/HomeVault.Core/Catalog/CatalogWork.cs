using HomeVault.Core.Audit;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requesters;
using HomeVault.Core.Disclosure.Requests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>
/// One unit of catalog work, from <see cref="CatalogConnection.Read"/> or <see cref="CatalogConnection.Write"/>: it
/// holds the connection's lock until disposed, owns the transaction (a write's), and hands out the repositories and
/// the audit log bound to it, so a row and its audit leaf commit together in <see cref="Commit"/>. A write not
/// committed is rolled back. The lock is the thread's: a unit of work never spans an await.
/// </summary>
public sealed class CatalogWork : IDisposable
{
    private readonly CatalogConnection _catalog;
    private bool _disposed;

    internal CatalogWork(CatalogConnection catalog, bool write)
    {
        _catalog = catalog;
        catalog.Gate.Enter();
        try
        {
            if (write)
            {
                Audit = catalog.Audit; // opened before the transaction: it reads the settings
                Transaction = catalog.Connection.BeginTransaction();
            }
        }
        catch
        {
            catalog.Gate.Exit();
            throw;
        }
    }

    public SqliteConnection Connection => _catalog.Connection;

    /// <summary>A write's transaction; null for a read.</summary>
    public SqliteTransaction? Transaction { get; }

    /// <summary>The audit log. Appends go through <see cref="Append"/>, which puts them in this work's transaction.</summary>
    public AuditLog Audit
    {
        get => field ??= _catalog.Audit;
        private set;
    }

    public ClipRepository Clips => field ??= new ClipRepository(Connection, Transaction);

    public CameraRepository Cameras => field ??= new CameraRepository(Connection, Transaction);

    public RunRepository Runs => field ??= new RunRepository(Connection, Transaction);

    public OwnerRepository Owners => field ??= new OwnerRepository(Connection, Transaction);

    public SettingsRepository Settings => field ??= new SettingsRepository(Connection, Transaction);

    public RequestRepository Requests => field ??= new RequestRepository(Connection, _catalog.Time, Transaction);

    public RequesterRepository Requesters => field ??= new RequesterRepository(Connection, Transaction);

    public ReleaseRepository Releases => field ??= new ReleaseRepository(Connection, Transaction);

    public ScopePreviewer Scopes => field ??= new ScopePreviewer(Connection, Transaction);

    /// <summary>Appends an audit leaf in this work's transaction (a read's leaf commits on its own); returns its index.</summary>
    public long Append(AuditEvent auditEvent) => Audit.Append(auditEvent, Transaction);

    /// <summary>The canonical bytes of leaf <paramref name="index"/> and its tlog-proof against a checkpoint made in this write.</summary>
    public (byte[] EntryBytes, TlogProof Proof) ProveWithin(long index) =>
        Audit.ProveWithin(index, Transaction ?? throw new InvalidOperationException("a proof inside a transaction needs a write"));

    /// <summary>A signed checkpoint of the whole log, in this work's transaction.</summary>
    public SignedCheckpoint Checkpoint() => Audit.Checkpoint(Transaction);

    /// <summary>Commits the rows and audit leaves of this write together.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        (Transaction ?? throw new InvalidOperationException("a read has no transaction to commit")).Commit();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Transaction?.Dispose();
        }
        finally
        {
            _catalog.Gate.Exit();
        }
    }
}
