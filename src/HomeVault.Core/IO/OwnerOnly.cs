namespace HomeVault.Core.IO;

/// <summary>
/// Every file HomeVault creates is its owner's alone (files 0600, directories 0700): the process umask says so
/// for everything created without an explicit mode, and what an earlier version left wider is narrowed at start.
/// </summary>
public static class OwnerOnly
{
    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// umask 077 for the whole process and the ffmpeg it starts, as systemd's <c>UMask=0077</c> gives the service:
    /// what .NET and ffmpeg create without an explicit mode comes out 0600 and directories 0700. (Not SQLite's
    /// -wal and -shm: they copy the database's mode whatever the umask; CatalogDatabase sees to that.)
    /// </summary>
    public static void SetProcessUmask() => _ = Libc.Umask(0b000_111_111); // 077; the previous mask is of no use

    /// <summary>Writes <paramref name="content"/> to a 0600 temporary beside <paramref name="path"/> and renames it over (readers never see half a file). Not fsynced: for status files rewritten every few seconds.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        File.Delete(temp); // a leftover from a crash keeps the mode it was created with
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = File0600 }))
        {
            stream.Write(content);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Takes group and other bits off <paramref name="path"/> if it exists and has any (symbolic links are left alone).</summary>
    public static void Tighten(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        Tighten(info);
    }

    private static void Tighten(FileSystemInfo info)
    {
        try
        {
            if (!info.Exists || info.LinkTarget is not null)
            {
                return;
            }
            var mode = info.UnixFileMode;
            if ((mode & GroupAndOther) != 0)
            {
                info.UnixFileMode = mode & ~GroupAndOther;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Gone meanwhile (another command's temporary file): nothing left to narrow.
        }
    }

    /// <summary>
    /// Narrows what an earlier version created wider in <paramref name="data"/> (catalog.db and its -wal and
    /// -shm were 0644, status/ 0755). Files under clips/ are not visited: clip files and their directories have
    /// been created 0600 and 0700 since the first version, and a long retention holds hundreds of thousands.
    /// Returns what could not be narrowed (another user's file), one line each.
    /// </summary>
    public static IReadOnlyList<string> TightenDataDirectory(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var failed = new List<string>();
        var root = new DirectoryInfo(data.Root);
        var clips = Path.TrimEndingDirectorySeparator(data.ClipsDir);
        var pending = new Stack<DirectoryInfo>();
        if (TryTighten(root, failed))
        {
            pending.Push(root);
        }
        while (pending.TryPop(out var dir))
        {
            try
            {
                foreach (var entry in dir.EnumerateFileSystemInfos())
                {
                    if (TryTighten(entry, failed) && entry is DirectoryInfo sub && entry.LinkTarget is null && sub.FullName != clips)
                    {
                        pending.Push(sub);
                    }
                }
            }
            catch (UnauthorizedAccessException e)
            {
                failed.Add($"{dir.FullName}: {e.Message}");
            }
        }
        return failed;
    }

    private static bool TryTighten(FileSystemInfo entry, List<string> failed)
    {
        try
        {
            Tighten(entry);
            return true;
        }
        catch (UnauthorizedAccessException e)
        {
            failed.Add($"{entry.FullName}: {e.Message}");
            return false;
        }
    }
}
