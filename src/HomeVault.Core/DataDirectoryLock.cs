using System.Globalization;
using System.Text;
using HomeVault.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace HomeVault.Core;

/// <summary>
/// One recorder per data directory: an exclusive flock(2) on <c>recorder.lock</c>, taken by <c>serve</c> and
/// <c>demo</c> before they read or write anything else there, and held until they end. The kernel drops it when
/// the process dies, kill -9 included, so there is no stale lock to clean up; the PID written into the file only
/// names the holder in the refusal. Every other command works beside the holder without it.
/// <para>
/// flock is called directly on a descriptor opened with O_CLOEXEC: .NET's FileShare.None also uses flock, but
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> silently turns it off, and the refused process could not even read
/// the PID through .NET (its reads take a shared flock); O_CLOEXEC keeps ffmpeg children from inheriting it, so
/// a child outliving a killed recorder does not keep the directory locked.
/// </para>
/// Re-entrant within a process: the recorder service asks for the lock its host already holds.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Held> HeldHere = new(StringComparer.Ordinal);

    private Held? _held;

    private DataDirectoryLock(string root, Held held)
    {
        Root = root;
        _held = held;
    }

    /// <summary>The data directory's full path, without a trailing separator.</summary>
    public string Root { get; }

    /// <summary>True while this share is held and it is on <paramref name="data"/>.</summary>
    public bool Covers(DataDirectory data) => IsHeld && Root == Path.TrimEndingDirectorySeparator(data?.Root ?? "");

    /// <summary>True until disposed.</summary>
    public bool IsHeld => Volatile.Read(ref _held) is not null;

    /// <summary>Takes the lock on <paramref name="data"/>, or shares the one this process already holds.</summary>
    /// <exception cref="DataDirectoryInUseException">Another process holds it.</exception>
    /// <exception cref="IOException">The lock file cannot be opened (a missing directory, permissions).</exception>
    public static DataDirectoryLock Acquire(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var root = Path.TrimEndingDirectorySeparator(data.Root);
        lock (Gate)
        {
            if (!HeldHere.TryGetValue(root, out var held))
            {
                held = new Held(Take(data));
                HeldHere[root] = held;
            }
            held.Count++;
            return new DataDirectoryLock(root, held);
        }
    }

    private static SafeFileHandle Take(DataDirectory data)
    {
        var path = data.LockPath;
        var fd = Libc.Open(path, Libc.ORdWr | Libc.OCreat | Libc.OCloexec, 0b110_000_000); // 0600
        if (fd < 0)
        {
            throw new IOException($"cannot open the lock file {path} (errno {Libc.Errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Libc.Flock(fd, Libc.LockEx | Libc.LockNb) != 0)
            {
                var errno = Libc.Errno;
                throw errno == Libc.EWouldBlock
                    ? new DataDirectoryInUseException(data.Root, ReadPid(handle))
                    : new IOException($"cannot lock {path} (errno {errno})");
            }
            if (Libc.Ftruncate(fd, 0) != 0)
            {
                throw new IOException($"cannot write {path} (errno {Libc.Errno})");
            }
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"), 0);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The holder's PID, or null when the file does not hold one yet (the holder is between its flock and its
    /// write: a window of two system calls).
    /// </summary>
    private static int? ReadPid(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        var n = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, n).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>Releases this share of the lock; the last share closes the descriptor, which drops the flock.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_held is not { } held)
            {
                return;
            }
            _held = null;
            if (--held.Count == 0)
            {
                HeldHere.Remove(Root);
                // The file stays: unlinking it would let a process that opened it just before lock a file no
                // longer in the directory while a third locks a new one.
                held.Handle.Dispose();
            }
        }
    }

    private sealed class Held(SafeFileHandle handle)
    {
        public SafeFileHandle Handle { get; } = handle;

        public int Count { get; set; }
    }
}
