using System.Globalization;
using System.Reflection;
using HomeVault.Core.IO;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Catalog;

/// <summary>
/// Opens the SQLite catalog with the settings HomeVault relies on (WAL, foreign keys, full sync)
/// and applies pending schema migrations. Migrations are embedded `NNNN_name.sql` files applied in
/// order; `PRAGMA user_version` records the last one, so each runs exactly once.
/// </summary>
public static class CatalogDatabase
{
    private const string ResourcePrefix = "HomeVault.Core.Catalog.Migrations.";

    /// <summary>The schema version this build expects (the highest embedded migration).</summary>
    public static int LatestVersion => Migrations.Value[^1].Version;

    private static readonly Lazy<IReadOnlyList<(int Version, string Name, string Sql)>> Migrations = new(LoadMigrations);

    /// <summary>Opens (creating when <paramref name="create"/>) the catalog and migrates it.</summary>
    /// <exception cref="CatalogException">The file is missing, not a HomeVault catalog, or newer than this build.</exception>
    public static SqliteConnection Open(string path, bool create = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!create && !File.Exists(path))
        {
            throw new CatalogException($"catalog not found at {path} (run 'homevault init' first)");
        }
        OwnerOnlyFiles(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
            Migrate(connection);
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new CatalogException($"catalog {path} cannot be opened: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SQLite creates a database 0644 (less the umask) and gives its -wal and -shm the database's own mode
    /// whatever the umask, so the database is made 0600 before SQLite sees it: a new one is created empty with
    /// that mode (an empty file is a valid database), and an existing one from an earlier version is narrowed,
    /// with any -wal and -shm it left.
    /// </summary>
    private static void OwnerOnlyFiles(string path)
    {
        if (!File.Exists(path))
        {
            new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
            return;
        }
        try
        {
            foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
            {
                OwnerOnly.Tighten(file);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Opened by someone other than its owner (root looking in): not theirs to change.
        }
    }

    private static void Migrate(SqliteConnection connection)
    {
        var current = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new CatalogException($"catalog schema version {current} is newer than this HomeVault build supports ({LatestVersion})");
        }
        foreach (var (version, _, sql) in Migrations.Value.Where(m => m.Version > current))
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                // PRAGMA takes no parameters; the value is an int parsed from our own resource name.
                cmd.CommandText = "PRAGMA user_version = " + version.ToString(CultureInfo.InvariantCulture);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    private static List<(int, string, string)> LoadMigrations()
    {
        var asm = typeof(CatalogDatabase).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = res[ResourcePrefix.Length..];
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(res)!;
            using var reader = new StreamReader(stream);
            list.Add((version, file, reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Item1 != i + 1)
            {
                throw new InvalidOperationException($"catalog migrations must be numbered 1..n without gaps; found {list[i].Item2}");
            }
        }
        return list;
    }

    /// <summary>
    /// FULL (the default this class opens with): every commit fsyncs the write-ahead log. NORMAL: commits
    /// reach the log (so they survive the process dying) and are fsynced with the next FULL commit.
    /// </summary>
    internal static void SetSynchronous(SqliteConnection connection, bool full) =>
        Execute(connection, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
