using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Tests.Audit;

/// <summary>A fresh catalog file in a temp dir with an audit log on it.</summary>
internal sealed class AuditTestLog : IDisposable
{
    public const string Origin = "homevault.local/test-install";

    public AuditTestLog()
    {
        Dir = TestEnv.NewTempDir("hv-audit");
        DbPath = Path.Combine(Dir, "catalog.db");
        Connection = CatalogDatabase.Open(DbPath, create: true);
        Key = NoteSigner.Generate(Origin);
        Time = new ManualTime(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        Log = new AuditLog(Connection, Key, Origin, Time);
    }

    public string Dir { get; }

    public string DbPath { get; }

    public SqliteConnection Connection { get; private set; }

    public NoteSigner Key { get; }

    public ManualTime Time { get; }

    public AuditLog Log { get; private set; }

    public static AuditEvent Event(int i) =>
        new("recorder", AuditActions.ConfigChanged, $"setting-{i}", new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["why"] = "test" });

    public void AppendMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Log.Append(Event(i));
            Time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>Runs SQL as an attacker with file access would: the append-only triggers dropped first.</summary>
    public void Tamper(string sql)
    {
        Exec("DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_dense;" +
             "DROP TRIGGER IF EXISTS audit_nodes_no_update; DROP TRIGGER IF EXISTS audit_nodes_no_delete;" +
             "DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;" +
             "DROP TRIGGER IF EXISTS audit_cosignatures_no_update; DROP TRIGGER IF EXISTS audit_cosignatures_no_delete;");
        Exec(sql);
    }

    public void Exec(string sql, params (string Name, object Value)[] args)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql) => CatalogDatabase.Scalar(Connection, sql);

    /// <summary>Closes and reopens the catalog file, as the service would after a restart.</summary>
    public void Reopen()
    {
        Connection.Dispose();
        Connection = CatalogDatabase.Open(DbPath);
        Log = new AuditLog(Connection, Key, Origin, Time);
    }

    public void Dispose()
    {
        Connection.Dispose();
        Key.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Naive RFC 6962 MTH over a list of leaf hashes, the reference the real code is tested against.</summary>
internal static class NaiveMerkle
{
    public static byte[] Root(IReadOnlyList<byte[]> leaves, int begin, int n)
    {
        if (n == 0)
        {
            return MerkleHash.EmptyRoot();
        }
        if (n == 1)
        {
            return leaves[begin];
        }
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }
        return MerkleHash.Node(Root(leaves, begin, k), Root(leaves, begin + k, n - k));
    }

    public static byte[] Root(IReadOnlyList<byte[]> leaves) => Root(leaves, 0, leaves.Count);
}

/// <summary>An in-memory node source computed naively from leaves.</summary>
internal sealed class MemoryNodes(IReadOnlyList<byte[]> leaves) : IMerkleNodeSource
{
    public byte[] GetNode(int level, long index) => NaiveMerkle.Root(leaves, (int)(index << level), 1 << level);
}
