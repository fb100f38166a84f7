using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Cli.Infrastructure;

/// <summary>
/// An opened, initialised data directory and its catalog, for the commands that need one. Not the age code
/// (HomeVault.Core.Vault): this holds no key.
/// </summary>
internal sealed class Installation : IDisposable
{
    private Installation(DataDirectory data, SqliteConnection db)
    {
        Data = data;
        Db = db;
        Catalog = new CatalogConnection(data, db);
    }

    public DataDirectory Data { get; }

    public SqliteConnection Db { get; }

    /// <summary>The command's units of work on the catalog (its audit log opened on first use).</summary>
    public CatalogConnection Catalog { get; }

    /// <summary>The installation's audit log, opened on first use.</summary>
    public AuditLog Audit => Catalog.Audit;

    /// <summary>Appends one event and makes a checkpoint if one is due.</summary>
    public void Record(AuditEvent auditEvent) => Catalog.Record(auditEvent);

    public static Installation Open(string dataDirectory)
    {
        var data = new DataDirectory(dataDirectory);
        if (!data.IsInitialized)
        {
            throw new UserError($"{data.Root} is not a HomeVault data directory (run 'homevault init --data {data.Root}' first)");
        }
        return new Installation(data, CatalogDatabase.Open(data.CatalogPath));
    }

    /// <summary>The named owner, or the only owner when none is named.</summary>
    public Owner ResolveOwner(string? name)
    {
        IReadOnlyList<Owner> owners;
        using (var read = Catalog.Read())
        {
            owners = read.Owners.List();
        }
        if (name is not null)
        {
            return owners.FirstOrDefault(o => o.Name == name)
                ?? throw new UserError($"no owner named '{name}' (see 'homevault keys show')");
        }
        return owners.Count switch
        {
            1 => owners[0],
            0 => throw new UserError("this data directory has no owners"),
            _ => throw new UserError($"several owners exist ({string.Join(", ", owners.Select(o => o.Name))}): choose one with --owner"),
        };
    }

    public void Dispose()
    {
        Catalog.Dispose();
        Db.Dispose();
    }
}
