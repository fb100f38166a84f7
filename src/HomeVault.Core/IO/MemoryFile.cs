using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace HomeVault.Core.IO;

/// <summary>
/// A file that exists only in this process's memory (memfd_create(2)) yet has a path a child process can open:
/// <c>/proc/PID/fd/N</c>. For a secret a child needs as a file (ffmpeg's input list with a camera password):
/// nothing reaches a file system, so nothing outlives this process, kill -9 included. The descriptor is
/// close-on-exec, so no child inherits it; the child opens the path instead, which the kernel allows only to
/// processes that may inspect this one (same user, not made undumpable) or root: the reach of a 0600 file.
/// </summary>
public sealed class MemoryFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private MemoryFile(SafeFileHandle handle, int fd)
    {
        _handle = handle;
        Path = string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{fd}");
    }

    /// <summary><c>/proc/PID/fd/N</c>: readable by children while this object lives, and by no one after.</summary>
    public string Path { get; }

    /// <summary>A new memory file named <paramref name="name"/> (shown only in /proc links) holding <paramref name="content"/>.</summary>
    /// <exception cref="IOException">memfd_create failed.</exception>
    public static MemoryFile Create(string name, ReadOnlySpan<byte> content)
    {
        var fd = Libc.MemfdCreate(name, Libc.MfdCloexec);
        if (fd < 0)
        {
            throw new IOException($"memfd_create failed (errno {Libc.Errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(handle, content, 0);
            return new MemoryFile(handle, fd);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Closes the descriptor: the memory is freed once no child still has the file open.</summary>
    public void Dispose() => _handle.Dispose();
}
