using HomeVault.Core;
using HomeVault.Core.Clips;
using HomeVault.Core.IO;
using HomeVault.Recording.Clips;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Service;

/// <summary>
/// Keeps the recorder able to write. Retention deletes the oldest footage not on hold whenever free space
/// runs below <see cref="RetentionRules.MinFreeBytes"/>, looked at every status tick, and at once when a
/// write finds the disk full. But a deletion is logged before its file goes, and on a disk that another
/// program filled to the last byte even that log entry cannot be written; so the recorder keeps a small
/// reserve file (<see cref="ReservePath"/>) that it gives back first, which leaves room for the catalog and
/// the audit log to record the deletions that free the real space, and takes again once there is room.
/// Footage on legal hold is never deleted: if only such footage is left, recording waits for room and
/// <see cref="Problem"/> says why.
/// </summary>
public sealed partial class StorageGuard : IStorageSpace
{
    /// <summary>
    /// The reserve: room for thousands of catalog and audit commits, enough to log the deletions that free the
    /// disk. A quarter of the configured minimum of free space, between 1 and 16 MiB.
    /// </summary>
    public long ReserveBytes { get; }

    /// <summary>Below this much free space a recorder cannot count on finishing its next fragments: half the minimum of free space, between 2 and 32 MiB.</summary>
    public long RoomBytes { get; }

    /// <summary>A sweep that freed nothing is not repeated by the periodic check before this long.</summary>
    public static readonly TimeSpan FruitlessSweepPause = TimeSpan.FromSeconds(10);

    private readonly DataDirectory _data;
    private readonly RetentionSweeper _sweeper;
    private readonly RetentionRules _rules;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Func<long> _freeBytes;
    private readonly Lock _gate = new();
    private long? _lastFruitlessSweep;
    private long? _lastRoomMade;
    private string? _problem;

    public StorageGuard(DataDirectory data, RetentionSweeper sweeper, RetentionRules rules, ILogger logger, TimeProvider? time = null, Func<long>? freeBytes = null)
    {
        _data = data;
        _sweeper = sweeper;
        _rules = rules;
        _log = logger;
        _time = time ?? TimeProvider.System;
        _freeBytes = freeBytes ?? (() => Durable.FreeBytes(data.Root));
        (ReserveBytes, RoomBytes) = Sizes(rules);
    }

    private static (long Reserve, long Room) Sizes(RetentionRules rules) =>
        (Math.Clamp(rules.MinFreeBytes / 4, 1L << 20, 16L << 20), Math.Clamp(rules.MinFreeBytes / 2, 2L << 20, 32L << 20));

    public string ReservePath => ReservePathOf(_data);

    public static string ReservePathOf(DataDirectory data) => Path.Combine(data.Root, "space.reserve");

    /// <summary>Read by every camera before each fragment: without the lock, which a sweep may hold for a while.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    public long FreeBytes => _freeBytes();

    public bool IsFull(Exception exception) => DiskFull.Is(exception);

    /// <summary>
    /// Before the recorder opens anything at start: on a disk too full to write, the reserve goes first, so the
    /// catalog can open and the sweep that follows can log what it deletes.
    /// </summary>
    public static void ReleaseReserveIfFull(DataDirectory data, RetentionRules rules, ILogger logger)
    {
        if (Durable.FreeBytes(data.Root) < Sizes(rules).Room && File.Exists(ReservePathOf(data)))
        {
            File.Delete(ReservePathOf(data));
            LogReserveReleased(logger, Durable.FreeBytes(data.Root));
        }
    }

    public bool TryMakeRoom()
    {
        lock (_gate)
        {
            // Several cameras find the disk full at once: the first one's sweep serves them all, whether it made
            // room or found only held footage (each sweep reads the whole catalog).
            if (_lastRoomMade is { } made && _time.GetElapsedTime(made) < TimeSpan.FromSeconds(1) && File.Exists(ReservePath) && _freeBytes() >= RoomBytes)
            {
                return true;
            }
            if (_problem is not null && _lastFruitlessSweep is { } fruitless && _time.GetElapsedTime(fruitless) < FruitlessSweepPause
                && _freeBytes() < RoomBytes + ReserveBytes)
            {
                return false;
            }
            var room = MakeRoom();
            _lastFruitlessSweep = room ? null : _time.GetTimestamp();
            return room;
        }
    }

    private bool MakeRoom()
    {
        ReleaseReserve();
        var report = SweepNow();
        var free = _freeBytes();
        // Recording goes on only with the reserve taken again: footage must never eat the room that lets
        // the catalog, the audit log and the status file say why recording had to stop.
        if (free >= RoomBytes + ReserveBytes)
        {
            KeepReserve();
        }
        var room = File.Exists(ReservePath) && _freeBytes() >= RoomBytes;
        var problem = room ? null : Describe(free, report);
        if (problem != _problem)
        {
            if (problem is null)
            {
                LogRoomAgain(_log, free);
            }
            else
            {
                LogNoRoom(_log, problem);
            }
        }
        Volatile.Write(ref _problem, problem);
        _lastRoomMade = room ? _time.GetTimestamp() : null;
        return room;
    }

    /// <summary>
    /// The periodic look: the minute's sweep when due, a sweep at once when free space is under the minimum
    /// (unless the last one could free nothing and is recent), and the reserve taken again when it fits.
    /// </summary>
    public void Tick(bool sweepDue)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var free = _freeBytes();
            var paused = _lastFruitlessSweep is { } last && _time.GetElapsedTime(last, now) < FruitlessSweepPause;
            if (free < RoomBytes && !paused)
            {
                // Nearly out: the reserve may be needed to log the deletions.
                _lastFruitlessSweep = MakeRoom() ? null : now;
                return;
            }
            if (sweepDue || (free < _rules.MinFreeBytes && !paused))
            {
                var report = SweepNow();
                _lastFruitlessSweep = report is { BudgetMet: false, Deleted.Count: 0 } ? now : null;
                free = _freeBytes();
            }
            if (free >= RoomBytes + ReserveBytes)
            {
                KeepReserve();
            }
            if (_problem is not null && File.Exists(ReservePath) && _freeBytes() >= RoomBytes)
            {
                LogRoomAgain(_log, free);
                Volatile.Write(ref _problem, null);
            }
        }
    }

    private RetentionReport? SweepNow()
    {
        try
        {
            var r = _sweeper.Sweep(_rules);
            if (r.Deleted.Count > 0 || !r.BudgetMet)
            {
                LogSwept(_log, r.Deleted.Count, r.BytesFreed, r.HeldClipsKept, r.BudgetMet);
            }
            return r;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Core.Catalog.CatalogException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogSweepFailed(_log, ex.Message);
            return null;
        }
    }

    private void ReleaseReserve()
    {
        if (File.Exists(ReservePath))
        {
            File.Delete(ReservePath);
            LogReserveReleased(_log, _freeBytes());
        }
    }

    /// <summary>Writes the reserve (real blocks, not a sparse file, which would reserve nothing), owner-only.</summary>
    private void KeepReserve()
    {
        if (File.Exists(ReservePath))
        {
            return;
        }
        var temp = ReservePath + ".tmp";
        try
        {
            using (var f = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                var zeros = new byte[1 << 20];
                for (long written = 0; written < ReserveBytes; written += zeros.Length)
                {
                    f.Write(zeros);
                }
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, ReservePath);
        }
        catch (IOException ex)
        {
            TryDelete(temp);
            LogReserveFailed(_log, ex.Message);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static string Describe(long free, RetentionReport? report) => report is null
        ? $"disk full ({free} bytes free) and the retention sweep failed"
        : $"disk full ({free} bytes free): retention can delete nothing more ({report.HeldClipsKept} clips on legal hold are kept)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "disk nearly full: released the space reserve ({Free} bytes free now) to log the deletions that free the disk")]
    private static partial void LogReserveReleased(ILogger logger, long free);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not write the space reserve (will try again): {Error}")]
    private static partial void LogReserveFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "recording stopped for lack of space: {Problem}")]
    private static partial void LogNoRoom(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "room to record again ({Free} bytes free)")]
    private static partial void LogRoomAgain(ILogger logger, long free);

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: deleted {Count} clips ({Bytes} bytes), kept {Held} on legal hold, budget met: {Met}")]
    private static partial void LogSwept(ILogger logger, int count, long bytes, int held, bool met);

    [LoggerMessage(Level = LogLevel.Error, Message = "retention sweep failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
