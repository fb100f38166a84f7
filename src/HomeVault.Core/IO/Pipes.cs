using System.Runtime.InteropServices;

namespace HomeVault.Core.IO;

/// <summary>Linux pipe tuning.</summary>
public static partial class Pipes
{
    private const int FSetPipeSize = 1031; // F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7)
    private const int FGetPipeSize = 1032; // F_GETPIPE_SZ

    /// <summary>
    /// Asks the kernel for a pipe buffer of <paramref name="bytes"/> (an unprivileged process may ask up to
    /// /proc/sys/fs/pipe-max-size, 1 MiB by default). Best effort: false if refused, the pipe keeps its size.
    /// </summary>
    public static bool TryResize(SafeHandle pipe, int bytes) => Fcntl(pipe, FSetPipeSize, bytes) >= bytes;

    /// <summary>The pipe's buffer size in bytes.</summary>
    public static int Size(SafeHandle pipe)
    {
        var size = Fcntl(pipe, FGetPipeSize, 0);
        return size >= 0 ? size : throw new IOException($"F_GETPIPE_SZ failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>fcntl on the handle's descriptor, holding a reference so it cannot be closed and reused meanwhile.</summary>
    private static int Fcntl(SafeHandle pipe, int cmd, int arg)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            return Fcntl((int)pipe.DangerousGetHandle(), cmd, arg);
        }
        finally
        {
            if (added)
            {
                pipe.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);
}
