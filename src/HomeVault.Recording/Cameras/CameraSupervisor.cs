using HomeVault.Recording.Clips;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Fmp4;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// Keeps one camera recording: runs ffmpeg, cuts its output into clips, detects stalls, reconnects
/// with backoff, journals every run and every gap. <see cref="RunAsync"/> never throws except for
/// cancellation, so one bad camera cannot take the others down.
/// </summary>
public sealed class CameraSupervisor
{
    private readonly CameraOptions _camera;
    private readonly IClipSink _sink;
    private readonly IRecordingJournal _journal;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SupervisorSettings _settings;
    private readonly Lock _gate = new();

    private StreamFacts _facts = new(null, null);
    private CameraState _state = CameraState.Connecting;
    private DateTimeOffset? _lastFragmentAt;
    private long _bytes;
    private int _clips;
    private int _runs;
    private string? _lastError;
    private DateTimeOffset? _nextAttemptAt;

    // Between runs: where footage last ended, why, and how many attempts failed since.
    private DateTimeOffset? _footageEnd;
    private string? _footageEndReason;
    private int _failedAttempts;
    private string? _lastFailure;

    public CameraSupervisor(CameraOptions camera, IClipSink sink, IRecordingJournal journal, ILogger<CameraSupervisor> logger,
        TimeProvider? time = null, SupervisorSettings? settings = null)
    {
        _camera = camera ?? throw new ArgumentNullException(nameof(camera));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _settings = settings ?? new SupervisorSettings();
    }

    public string Name => _camera.Name;

    public CameraHealth Health
    {
        get
        {
            lock (_gate)
            {
                return new CameraHealth(_camera.Name, _state, _lastFragmentAt, _bytes, _clips, _runs, _lastError, _nextAttemptAt);
            }
        }
    }

    /// <summary>Records until <paramref name="ct"/> is cancelled; then stops ffmpeg with <c>q</c> and seals the open clip.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff(_settings);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                RunOutcome outcome;
                try
                {
                    outcome = await OnOwnThread(() => RunOnceAsync(ct)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    // Contained: a bug or an odd failure in one camera must not end the service.
                    var msg = $"{e.GetType().Name}: {e.Message}";
                    Log.SupervisorError(_logger, Name, msg);
                    outcome = new RunOutcome(false, false, false);
                    SetError(msg, CameraState.Backoff);
                }
                if (ct.IsCancellationRequested)
                {
                    break;
                }
                if (outcome.Reconfigure)
                {
                    continue; // same camera, better arguments: no reason to wait
                }
                if (outcome.Healthy)
                {
                    backoff.Reset();
                }
                var delay = backoff.Next();
                lock (_gate)
                {
                    _state = outcome.CannotStart ? CameraState.Failed : CameraState.Backoff;
                    _nextAttemptAt = _time.GetUtcNow() + delay;
                }
                Log.BackingOff(_logger, Name, delay);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                _state = CameraState.Stopped;
                _nextAttemptAt = null;
            }
        }
    }

    private readonly record struct RunOutcome(bool Healthy, bool Reconfigure, bool CannotStart);

    /// <summary>
    /// Starts a run on a thread of its own. ffmpeg's stdout is read with blocking reads and the production
    /// sink completes synchronously, so the whole read, cut, seal and write loop stays on this thread, which
    /// wakes once per pipe read; the run continues on the pool from its first real await (stopping ffmpeg),
    /// and the thread ends. A sink that truly awaits moves the loop to the pool, where it still works.
    /// </summary>
    private Task<RunOutcome> OnOwnThread(Func<Task<RunOutcome>> run)
    {
        var started = new TaskCompletionSource<Task<RunOutcome>>(TaskCreationOptions.RunContinuationsAsynchronously);
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

    private async Task<RunOutcome> RunOnceAsync(CancellationToken ct)
    {
        CameraCredentials? credentials = null;
        if (_camera.CredentialsFile is { } file)
        {
            try
            {
                credentials = CameraCredentials.Load(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Messages name the file, never its content.
                var msg = $"credentials file: {e.Message}";
                Log.CannotStart(_logger, Name, msg);
                SetError(msg, CameraState.Failed);
                return new RunOutcome(false, false, true);
            }
        }

        var ioTimeout = TimeSpan.FromSeconds(_camera.StallSeconds + 5);
        using var input = IngestInput.Create(_camera.Url, credentials, ioTimeout);
        var facts = Volatile.Read(ref _facts);
        var args = IngestCommand.Build(input, _camera.Audio, facts);
        var scrubber = input.Scrubber;

        lock (_gate)
        {
            _state = CameraState.Connecting;
            _nextAttemptAt = null;
            _runs++;
        }
        var startedAt = _time.GetUtcNow();
        var runId = _journal.RunStarted(Name, startedAt);
        var inputSection = true;
        await using var process = FfmpegProcess.Start(_settings.FfmpegPath, args, scrubber, _settings.StderrLines, line =>
        {
            if (line.StartsWith("Output #", StringComparison.Ordinal))
            {
                inputSection = false;
            }
            if (inputSection)
            {
                var before = Volatile.Read(ref _facts);
                var after = IngestCommand.Learn(before, line);
                if (after != before)
                {
                    Volatile.Write(ref _facts, after);
                }
            }
            Log.FfmpegLine(_logger, Name, line);
        });
        Log.RunStarted(_logger, Name, runId, process.Id);

        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = new Fmp4Reader(process.StandardOutput);
        var stalled = false;
        var watchdog = WatchAsync(reader, process, () => stalled = true, runCts.Token);
        // Shutdown does not cancel the reads below: ffmpeg is asked to finish, writes its last fragment
        // and closes stdout, which ends the loop with that fragment in the clip. Before the first fragment
        // there is nothing to keep, so it goes at once. Past StopGrace it is killed (stdout closes too).
        var recording = 0;
        using var stopOnShutdown = ct.Register(() =>
        {
            if (Volatile.Read(ref recording) == 0)
            {
                process.Kill();
            }
            else
            {
                process.RequestStop(_settings.StopGrace);
            }
        });

        ClipCutter? cutter = null;
        string? reason = null;
        var reconfigure = false;
        try
        {
            if (await reader.ReadInitSegmentAsync(CancellationToken.None).ConfigureAwait(false) is { } init)
            {
                // ffmpeg printed the input streams before the header: an H.265 camera seen for the first
                // time is restarted now with the hvc1 tag, before a clip is written.
                if (!ArgsMatch(args, input))
                {
                    reconfigure = true;
                    reason = "reconfigure: stream needs different ffmpeg arguments";
                    Log.Reconfigure(_logger, Name, Volatile.Read(ref _facts).VideoCodec, Volatile.Read(ref _facts).AudioCodec);
                }
                while (!reconfigure && await reader.ReadFragmentAsync(CancellationToken.None).ConfigureAwait(false) is { } fragment)
                {
                    if (cutter is null)
                    {
                        Volatile.Write(ref recording, 1);
                        // A fragment arrives once it is complete: its media start was one duration ago.
                        var firstAt = _time.GetUtcNow() - fragment.Duration;
                        cutter = new ClipCutter(_sink, Name, runId, init, TimeSpan.FromSeconds(_camera.ClipSeconds), firstAt, fragment.Start);
                        RecordGapBefore(cutter.WallTime(fragment.Start));
                        lock (_gate)
                        {
                            _state = CameraState.Recording;
                        }
                        Log.Recording(_logger, Name, runId);
                    }
                    var clipsBefore = cutter.ClipsCompleted;
                    await cutter.AddAsync(fragment, CancellationToken.None).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _lastFragmentAt = _time.GetUtcNow();
                        _bytes += fragment.Bytes.Length;
                        _clips += cutter.ClipsCompleted - clipsBefore;
                    }
                    if (!ArgsMatch(args, input))
                    {
                        reconfigure = true;
                        reason = "reconfigure: stream needs different ffmpeg arguments";
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (runCts.IsCancellationRequested)
        {
            // shutdown or stall; decided below
        }
        catch (Fmp4Exception e)
        {
            reason = $"invalid stream: {e.Message}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // From the sink (disk full, catalog down): end this run, back off, try again.
            reason = $"sink error: {scrubber.Scrub(e.Message)}";
        }
        finally
        {
            if (cutter is not null)
            {
                try
                {
                    var clipsBefore = cutter.ClipsCompleted;
                    await cutter.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _clips += cutter.ClipsCompleted - clipsBefore;
                    }
                }
                catch (Exception e)
                {
                    reason ??= $"sink error: {scrubber.Scrub(e.Message)}";
                }
                await cutter.DisposeAsync().ConfigureAwait(false);
            }
        }

        await process.StopAsync(_settings.StopGrace).ConfigureAwait(false);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(CancellationToken.None).WaitAsync(_settings.StopGrace + TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            exitCode = -1;
        }
        await runCts.CancelAsync().ConfigureAwait(false);
        try
        {
            await watchdog.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (ct.IsCancellationRequested)
        {
            reason = "cancelled";
        }
        else if (stalled)
        {
            reason = $"stall: no data from ffmpeg for {_camera.StallSeconds} s";
        }
        else if (reason is null)
        {
            reason = exitCode == 0 ? "eof" : $"exit {exitCode}: {Diagnose(process.Stderr) ?? "(no output)"}";
        }
        if (!reconfigure && !ArgsMatch(args, input))
        {
            reconfigure = true; // e.g. G.711 audio: ffmpeg refused to copy it; AAC next time
            var f = Volatile.Read(ref _facts);
            Log.Reconfigure(_logger, Name, f.VideoCodec, f.AudioCodec);
        }

        var endedAt = _time.GetUtcNow();
        _journal.RunEnded(runId, endedAt, reason);
        var clips = cutter?.ClipsCompleted ?? 0;
        Log.RunEnded(_logger, Name, runId, clips, reason);

        var recorded = cutter?.LastEnd is not null;
        if (recorded)
        {
            _footageEnd = cutter!.LastEnd;
            _footageEndReason = reason;
            _failedAttempts = 0;
            _lastFailure = null;
        }
        else if (!reconfigure)
        {
            _failedAttempts++;
            _lastFailure = reason;
        }
        if (reason != "cancelled")
        {
            SetError(reason, null);
        }
        var healthy = recorded && cutter!.LastEnd - cutter.FirstStart >= _settings.HealthyRun;
        return new RunOutcome(healthy || (recorded && reconfigure), reconfigure, false);
    }

    private bool ArgsMatch(IReadOnlyList<string> args, IngestInput input) =>
        args.SequenceEqual(IngestCommand.Build(input, _camera.Audio, Volatile.Read(ref _facts)));

    private void RecordGapBefore(DateTimeOffset nextStart)
    {
        if (_footageEnd is not { } from || nextStart <= from)
        {
            return;
        }
        var cause = _footageEndReason ?? "unknown";
        if (_failedAttempts > 0)
        {
            cause += $"; then {_failedAttempts} failed attempt(s), last: {_lastFailure}";
        }
        _journal.Gap(Name, from, nextStart, cause);
        Log.Gap(_logger, Name, from, nextStart, cause);
    }

    /// <summary>
    /// Kills ffmpeg when no byte has arrived for StallSeconds (counted from process start, too). It looks
    /// four times per limit, so a stall is acted on between 1 and 1.25 times StallSeconds after the last
    /// byte; looking twice a second per camera cost wake-ups for nothing.
    /// </summary>
    private async Task WatchAsync(Fmp4Reader reader, FfmpegProcess process, Action onStall, CancellationToken ct)
    {
        var limit = TimeSpan.FromSeconds(_camera.StallSeconds);
        var poll = limit / 4;
        var lastBytes = -1L;
        var lastChange = _time.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(poll, _time, ct).ConfigureAwait(false);
            var bytes = reader.BytesRead;
            if (bytes != lastBytes)
            {
                lastBytes = bytes;
                lastChange = _time.GetTimestamp();
            }
            else if (_time.GetElapsedTime(lastChange) >= limit)
            {
                onStall();
                process.Kill();
                return;
            }
        }
    }

    /// <summary>The most telling recent stderr line: the last one that reads like an error, else the last one.</summary>
    internal static string? Diagnose(StderrRing stderr)
    {
        var lines = stderr.Snapshot();
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var l = lines[i].Trim();
            if (l.Length == 0 || l.StartsWith("Stream", StringComparison.Ordinal) || l.StartsWith("Last message repeated", StringComparison.Ordinal)
                || l is "Conversion failed!" || l.StartsWith("Exiting normally", StringComparison.Ordinal)
                || l.StartsWith("Error initializing output stream", StringComparison.Ordinal))
            {
                continue;
            }
            if (l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)
                || l.Contains("refused", StringComparison.OrdinalIgnoreCase) || l.Contains("Could not", StringComparison.Ordinal)
                || l.Contains("Unauthorized", StringComparison.Ordinal) || l.Contains("Invalid", StringComparison.Ordinal)
                || l.Contains("timed out", StringComparison.OrdinalIgnoreCase) || l.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                return l;
            }
        }
        return stderr.LastLine();
    }

    private void SetError(string error, CameraState? state)
    {
        lock (_gate)
        {
            _lastError = error;
            if (state is { } s)
            {
                _state = s;
            }
        }
    }
}
