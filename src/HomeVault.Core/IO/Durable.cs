namespace HomeVault.Core.IO;

/// <summary>
/// Crash-safe file writes: data reaches the disk (fsync) and so does the directory entry that
/// names it (fsync of the directory), before anything refers to the file.
/// </summary>
public static class Durable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Bytes free for this process on the file system holding <paramref name="path"/>; a file system that cannot
    /// tell counts as roomy, so retention never deletes footage on a guess.
    /// </summary>
    public static long FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Creates a new file (refusing to overwrite) with owner-only permissions, fsynced with its directory.</summary>
    public static void CreateNew(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Opens a new owner-only file for streaming writes; the caller fsyncs via <see cref="FileStream.Flush(bool)"/>.</summary>
    public static FileStream CreateForStreaming(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Share = FileShare.Read,
        UnixCreateMode = OwnerOnly,
        BufferSize = 0,
    });

    /// <summary>
    /// Creates a directory and any missing parents, owner-only, fsyncing the parent of each level it
    /// creates, so that a file later made durable inside it cannot vanish with its directory in a crash.
    /// </summary>
    public static void CreatePrivateDirectory(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0 || Directory.Exists(full))
        {
            return;
        }
        var parent = Path.GetDirectoryName(full);
        if (parent is not null)
        {
            CreatePrivateDirectory(parent);
        }
        Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (parent is not null)
        {
            SyncDirectory(parent);
        }
    }

    /// <summary>Makes a directory's entries (new, renamed or deleted files) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        // O_DIRECTORY is deliberately not used: its value differs across architectures (on ARM,
        // x86's 0x10000 is O_DIRECT, which directories refuse), and O_RDONLY suffices for fsync.
        var fd = Libc.Open(directory, Libc.ORdOnly | Libc.OCloexec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to sync it (errno {Libc.Errno})");
        }
        try
        {
            if (Libc.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Libc.Errno})");
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}
