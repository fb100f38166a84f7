using System.Runtime.InteropServices;

namespace HomeVault.Core.IO;

/// <summary>
/// What kind of file a path names, which .NET does not say: a character device (/dev/null, a terminal) or a pipe
/// (/dev/stdout on a pipe, bash's &gt;(...)) is written to as a stream, like stock tools do, where a regular file is
/// created all-or-nothing. Read with statx(2), whose layout is the same on every architecture.
/// </summary>
public static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, uid, gid; then u16 mode
    private const int TypeMask = 0xF000;
    private const int CharacterDevice = 0x2000;
    private const int Fifo = 0x1000;

    /// <summary>True when <paramref name="path"/> (symbolic links followed) is a character device or a FIFO; false when it is anything else or does not exist.</summary>
    public static unsafe bool IsStreamDevice(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return false;
        }
        var type = *(ushort*)(buffer + ModeOffset) & TypeMask;
        return type is CharacterDevice or Fifo;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
