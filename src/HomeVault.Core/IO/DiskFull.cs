using Microsoft.Data.Sqlite;

namespace HomeVault.Core.IO;

/// <summary>Recognises "the disk is full" however it arrives: a write's ENOSPC or EDQUOT, or SQLite's SQLITE_FULL.</summary>
public static class DiskFull
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int SqliteFull = 13;

    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                    return true;
                // .NET carries the errno as the HResult of a Unix I/O error; the text is a fallback for wrappers.
                case IOException io when io.HResult is Enospc or Edquot
                    || io.Message.Contains("No space left on device", StringComparison.Ordinal)
                    || io.Message.Contains("Disk quota exceeded", StringComparison.Ordinal):
                    return true;
            }
        }
        return false;
    }
}
