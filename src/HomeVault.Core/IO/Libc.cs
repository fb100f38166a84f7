using System.Runtime.InteropServices;

namespace HomeVault.Core.IO;

/// <summary>
/// The few libc calls .NET does not expose: descriptors opened without .NET's own advisory locking, flock,
/// memfd_create, umask. LibraryImport (source-generated marshalling), so they work in the native build.
/// Flag values are the ones x86_64 and arm64 share; flags that differ between them (O_DIRECTORY,
/// O_NOFOLLOW) are not used.
/// </summary>
internal static partial class Libc
{
    public const int ORdOnly = 0;
    public const int ORdWr = 2;
    public const int OCreat = 0x40;
    public const int OCloexec = 0x80000;

    public const int LockEx = 2;
    public const int LockNb = 4;

    public const int MfdCloexec = 1;

    /// <summary>EAGAIN, which Linux also names EWOULDBLOCK: flock's answer when another holds the lock.</summary>
    public const int EWouldBlock = 11;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode = 0);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    /// <summary>The errno of the last failed call above, for messages.</summary>
    public static int Errno => Marshal.GetLastPInvokeError();
}
