using HomeVault.Core.Audit;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>
/// The one owner of a catalog connection and its audit log in a process (the recorder's store, the web side, a CLI
/// command, the disclosure service). SQLite connections are not thread-safe, so the connection and the log are used
/// only through a <see cref="CatalogWork"/>, which holds this object's lock for its lifetime: <see cref="Write"/>
/// with one transaction, <see cref="Read"/> without. Other processes are kept apart by SQLite's own locking.
/// </summary>
public sealed class CatalogConnection : IDisposable
{
    private readonly Lock _gate = new();
    private readonly DataDirectory? _data;
    private InstallationAudit? _installation;
    private AuditLog? _audit;

    /// <summary>Over a connection and an audit log that the caller owns.</summary>
    public CatalogConnection(SqliteConnection db, AuditLog audit, TimeProvider? time = null)
    {
        Connection = db ?? throw new ArgumentNullException(nameof(db));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        Time = time ?? TimeProvider.System;
    }

    /// <summary>Over a connection that the caller owns; the installation's audit log is opened on first use and closed with this.</summary>
    public CatalogConnection(DataDirectory data, SqliteConnection db, TimeProvider? time = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        Connection = db ?? throw new ArgumentNullException(nameof(db));
        Time = time ?? TimeProvider.System;
    }

    public TimeProvider Time { get; }

    internal SqliteConnection Connection { get; }

    internal Lock Gate => _gate;

    /// <summary>
    /// The audit log, opened here on first use (outside any transaction: opening it reads the settings). Where threads
    /// share the connection, use it through a <see cref="CatalogWork"/>, which holds the lock.
    /// </summary>
    public AuditLog Audit => _audit ??= (_installation = InstallationAudit.Open(_data!, Connection, Time)).Log;

    /// <summary>The lock, without a transaction: each statement stands alone (queries, and writes of one statement).</summary>
    public CatalogWork Read() => new(this, write: false);

    /// <summary>The lock and one transaction (BEGIN IMMEDIATE), committed by <see cref="CatalogWork.Commit"/> or rolled back when disposed.</summary>
    public CatalogWork Write() => new(this, write: true);

    /// <summary>Appends one audit leaf on its own (a view, an unlock) and makes a checkpoint if one is due.</summary>
    public void Record(AuditEvent auditEvent)
    {
        using var work = Write();
        work.Append(auditEvent);
        work.Commit();
        work.Audit.CheckpointIfDue();
    }

    public void Dispose() => _installation?.Dispose();
}
