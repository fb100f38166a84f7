using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// The files under clips/ that no catalog row names: the same files start-up reconciliation reports as orphans.
/// Looked for outside the verification's read transaction and one file at a time: the recorder creates each clip file
/// just before its first row, so a file that appeared after the snapshot was taken must be looked up in the catalog as
/// it is now, or every clip begun during a long verification would look unknown. Memory stays flat: one indexed
/// lookup per file rather than every path in memory.
/// </summary>
internal static class UnknownClipFiles
{
    public static IReadOnlyList<string> Find(SqliteConnection connection, DataDirectory data)
    {
        if (!Directory.Exists(data.ClipsDir))
        {
            return [];
        }
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM clips WHERE path = $p";
        var path = cmd.Parameters.Add("$p", SqliteType.Text);
        var unknown = new List<string>();
        foreach (var file in Directory.EnumerateFiles(data.ClipsDir, "*", SearchOption.AllDirectories))
        {
            path.Value = Path.GetRelativePath(data.Root, file);
            if (cmd.ExecuteScalar() is null)
            {
                unknown.Add((string)path.Value);
            }
        }
        // A file met in the instant between its creation and its first row's commit is looked up once more, after
        // the whole walk; only a file still unknown then is reported.
        unknown.RemoveAll(relative =>
        {
            path.Value = relative;
            return cmd.ExecuteScalar() is not null;
        });
        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }
}
