using HomeVault.Core.Recorder;
using HomeVault.Recording.Clips;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Live;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// Keeps one camera recording: one <see cref="IngestRun"/> after another, each reconnecting as the
/// <see cref="ReconnectPolicy"/> says, every second without footage in a gap of the <see cref="GapTracker"/>,
/// and a full disk answered by freeing space rather than by giving up. <see cref="RunAsync"/> never throws
/// except for cancellation, so one bad camera cannot take the others down.
/// </summary>
public sealed class CameraSupervisor
{
    private readonly CameraOptions _camera;
    private readonly IClipSink _sink;
    private readonly IRecordingJournal _journal;
    private readonly IStorageSpace? _space;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SupervisorSettings _settings;
    private readonly StreamFactsCell _facts = new();
    private readonly IngestChoice _choice;
    private readonly CameraClock _clock;
    private readonly GapTracker _gaps;
    private readonly Lock _gate = new();
    private readonly CameraTap? _live;

    private CameraState _state = CameraState.Connecting;
    private DateTimeOffset? _lastFragmentAt;
    private long _bytes;
    private int _clips;
    private int _runs;
    private string? _lastError;
    private DateTimeOffset? _nextAttemptAt;

    public CameraSupervisor(CameraOptions camera, IClipSink sink, IRecordingJournal journal, ILogger<CameraSupervisor> logger,
        TimeProvider? time = null, SupervisorSettings? settings = null, IStorageSpace? space = null, LiveFeed? live = null)
    {
        _camera = camera ?? throw new ArgumentNullException(nameof(camera));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _settings = settings ?? new SupervisorSettings();
        _space = space;
        _gaps = new GapTracker(camera.Name, journal, logger);
        _live = live?.Tap(camera.Name);
        _choice = new IngestChoice(camera.Ingest);
        _clock = new CameraClock(camera.Name, logger);
    }

    public string Name => _camera.Name;

    public CameraHealth Health
    {
        get
        {
            lock (_gate)
            {
                var gap = _gaps.Open;
                return new CameraHealth(_camera.Name, _state, _lastFragmentAt, _bytes, _clips, _runs, _lastError, _nextAttemptAt,
                    gap?.Since, gap?.Cause, _choice.Describe(), _choice.Native ? _clock.Seconds : null);
            }
        }
    }

    /// <summary>Records until <paramref name="ct"/> is cancelled; then stops ffmpeg with <c>q</c>, seals the open clip and closes the books.</summary>
    /// <param name="startedAt">When the recorder started, where this camera's first gap begins (default: now).</param>
    public async Task RunAsync(CancellationToken ct, DateTimeOffset? startedAt = null)
    {
        var policy = new ReconnectPolicy(_settings);
        lock (_gate)
        {
            _gaps.Begin(startedAt ?? _time.GetUtcNow(), GapTracker.StartCause);
        }
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var result = await AttemptAsync(ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                {
                    break;
                }
                if (result.Reconfigure)
                {
                    continue; // same camera, better arguments: no reason to wait
                }
                if (result.DiskFull)
                {
                    await WaitForRoomAsync(ct).ConfigureAwait(false);
                    continue;
                }
                var outage = _gaps.Open is { } g ? _time.GetUtcNow() - g.Since : TimeSpan.Zero;
                var delay = policy.Next(result.Recorded, outage);
                if (delay > TimeSpan.Zero)
                {
                    SetState(result.CannotStart ? CameraState.Failed : CameraState.Backoff, _time.GetUtcNow() + delay);
                    Log.BackingOff(_logger, Name, delay.TotalSeconds);
                    await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                _gaps.End(_time.GetUtcNow());
                _state = CameraState.Stopped;
                _nextAttemptAt = null;
            }
        }
    }

    /// <summary>One run on a thread of its own, its outcome entered in the health and the gap books.</summary>
    private async Task<RunResult> AttemptAsync(CancellationToken ct)
    {
        SetState(CameraState.Connecting, null);
        RunResult result;
        try
        {
            result = await OnOwnThread(() => NewRun().RunAsync(ct)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new RunResult(RunResult.Cancelled);
        }
        catch (Exception e)
        {
            // Contained: a bug or an odd failure in one camera must not end the service.
            var msg = $"{e.GetType().Name}: {e.Message}";
            Log.SupervisorError(_logger, Name, msg);
            result = new RunResult(msg);
        }
        lock (_gate)
        {
            if (result.Recorded)
            {
                _gaps.Begin(result.FootageEnd!.Value, result.Reason);
            }
            else if (!result.Reconfigure && !ct.IsCancellationRequested)
            {
                _gaps.AttemptFailed(result.Reason);
            }
            if (!ct.IsCancellationRequested)
            {
                _lastError = result.Reason;
            }
        }
        return result;
    }

    private IngestRun NewRun() => new(_camera, _settings, _sink, _journal, _space, _logger, _time, _facts, _choice, _clock)
    {
        Live = _live,
        FootageStarted = start =>
        {
            lock (_gate)
            {
                _gaps.End(start);
                _state = CameraState.Recording;
                _runs++;
            }
        },
        FragmentWritten = (bytes, clips) =>
        {
            lock (_gate)
            {
                if (bytes > 0)
                {
                    _lastFragmentAt = _time.GetUtcNow();
                    _bytes += bytes;
                }
                _clips += clips;
            }
        },
    };

    /// <summary>The disk is full: free space by the retention rules; while nothing can be freed, look again now and then.</summary>
    private async Task WaitForRoomAsync(CancellationToken ct)
    {
        while (_space is not null && !_space.TryMakeRoom())
        {
            var problem = _space.Problem ?? "disk full";
            lock (_gate)
            {
                _lastError = problem;
            }
            SetState(CameraState.DiskFull, _time.GetUtcNow() + _settings.DiskFullRetry);
            Log.DiskFull(_logger, Name, problem);
            await Task.Delay(_settings.DiskFullRetry, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts a run on a thread of its own. ffmpeg's stdout is read with blocking reads and the production
    /// sink completes synchronously, so the whole read, cut, seal and write loop stays on this thread, which
    /// wakes once per pipe read; the run continues on the pool from its first real await (stopping ffmpeg),
    /// and the thread ends. A sink that truly awaits moves the loop to the pool, where it still works.
    /// </summary>
    private Task<RunResult> OnOwnThread(Func<Task<RunResult>> run)
    {
        var started = new TaskCompletionSource<Task<RunResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                started.SetResult(run());
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"camera {Name}",
        };
        thread.Start();
        return started.Task.Unwrap();
    }

    private void SetState(CameraState state, DateTimeOffset? nextAttemptAt)
    {
        lock (_gate)
        {
            _state = state;
            _nextAttemptAt = nextAttemptAt;
        }
    }
}
