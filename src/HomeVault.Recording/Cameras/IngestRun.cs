using HomeVault.Recording.Clips;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Fmp4;
using HomeVault.Recording.Live;
using HomeVault.Recording.Processes;
using HomeVault.Recording.Rtsp;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// One connection attempt: ffmpeg started with the camera's credentials out of argv, its stderr read for
/// the stream's codecs, its fragments cut into sealed clips, a stall watchdog beside it, and on the way out
/// the reason it ended. A run row exists only once footage arrives; until then this is just an attempt.
/// </summary>
internal sealed class IngestRun(
    CameraOptions camera,
    SupervisorSettings settings,
    IClipSink sink,
    IRecordingJournal journal,
    IStorageSpace? space,
    ILogger logger,
    TimeProvider time,
    StreamFactsCell facts,
    IngestChoice choice,
    CameraClock clock)
{
    private const string ReconfigureReason = "reconfigure: stream needs different ffmpeg arguments";

    /// <summary>Called once, when the first fragment has started a run: the footage's wall-clock start.</summary>
    public Action<DateTimeOffset>? FootageStarted { get; init; }

    /// <summary>Called after each fragment: its bytes and how many clips were completed by it.</summary>
    public Action<long, int>? FragmentWritten { get; init; }

    /// <summary>Where live viewers take the fragments from (a count check while nobody watches).</summary>
    public CameraTap? Live { get; init; }

    public async Task<RunResult> RunAsync(CancellationToken ct)
    {
        CameraCredentials? credentials = null;
        if (camera.CredentialsFile is { } file)
        {
            try
            {
                credentials = CameraCredentials.Load(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Messages name the file, never its content.
                var msg = $"credentials file: {e.Message}";
                Log.CannotStart(logger, camera.Name, msg);
                return new RunResult(msg, CannotStart: true);
            }
        }

        var ioTimeout = TimeSpan.FromSeconds(camera.StallSeconds + 5);
        using var input = IngestInput.Create(camera.Url, credentials, camera.Transport, ioTimeout);
        var args = IngestCommand.Build(input, camera.Audio, facts.Value);
        var scrubber = input.Scrubber;
        var attemptAt = time.GetUtcNow();
        await using IIngestSource process = choice.Native
            ? new NativeIngest(camera.Url, credentials, camera.Audio, camera.Transport, ioTimeout, camera.TlsFingerprint is { } pin ? RtspTls.ParseFingerprint(pin) : null)
            : new FfmpegSource(FfmpegProcess.Start(settings.FfmpegPath, args, scrubber, settings.StderrLines, LearnFromStderr()));
        Log.AttemptStarted(logger, camera.Name, process.Name, process.Id);

        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watchdog = new StallWatchdog(TimeSpan.FromSeconds(camera.StallSeconds), time);
        var watching = watchdog.WatchAsync(process, runCts.Token);
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
                process.RequestStop(settings.StopGrace);
            }
        });

        ClipCutter? cutter = null;
        long? runId = null;
        string? reason = null;
        var reconfigure = false;
        var diskFull = false;
        try
        {
            if (await process.ReadInitSegmentAsync().ConfigureAwait(false) is { } init)
            {
                if (process is NativeIngest native)
                {
                    choice.Connected(native.Transport);
                }
                // ffmpeg printed the input streams before the header: an H.265 camera seen for the first
                // time is restarted now with the hvc1 tag, before a clip is written.
                reconfigure = !ArgsMatch(args, input);
                while (!reconfigure && await process.ReadFragmentAsync().ConfigureAwait(false) is { } fragment)
                {
                    if (space?.Problem is { } problem)
                    {
                        // Out of room with only held footage left: stop before the footage eats the space that
                        // lets the catalog and the log say so.
                        (reason, diskFull) = (problem, true);
                        break;
                    }
                    if (cutter is null)
                    {
                        Volatile.Write(ref recording, 1);
                        // A fragment arrives once it is complete: its media start was one duration ago.
                        var firstAt = time.GetUtcNow() - fragment.Duration;
                        runId = journal.RunStarted(camera.Name, attemptAt);
                        cutter = new ClipCutter(sink, camera.Name, runId.Value, init, TimeSpan.FromSeconds(camera.ClipSeconds), firstAt, fragment.Start);
                        FootageStarted?.Invoke(cutter.WallTime(fragment.Start));
                        Log.Recording(logger, camera.Name, runId.Value);
                        Live?.Begin(init);
                    }
                    if (process is NativeIngest { } own && own.CameraTime(fragment.Start) is { } cameraTime)
                    {
                        clock.Observe(cameraTime, cutter.WallTime(fragment.Start));
                    }
                    // Before the cutter rebases the fragment into its clip: viewers get the run's own timeline.
                    Live?.Publish(fragment.Bytes, fragment.StartsWithKeyframe);
                    var clipsBefore = cutter.ClipsCompleted;
                    await cutter.AddAsync(fragment, CancellationToken.None).ConfigureAwait(false);
                    FragmentWritten?.Invoke(fragment.Bytes.Length, cutter.ClipsCompleted - clipsBefore);
                    reconfigure = !ArgsMatch(args, input);
                }
                if (reconfigure)
                {
                    reason = ReconfigureReason;
                }
            }
        }
        catch (Fmp4Exception e)
        {
            reason = $"invalid stream: {e.Message}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // From the sink or the journal (disk full, catalog down): end this run; the supervisor decides.
            (reason, diskFull) = SinkError(e, scrubber);
        }
        finally
        {
            Live?.End();
            if (cutter is not null)
            {
                try
                {
                    var clipsBefore = cutter.ClipsCompleted;
                    await cutter.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
                    FragmentWritten?.Invoke(0, cutter.ClipsCompleted - clipsBefore);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    var (why, full) = SinkError(e, scrubber);
                    reason ??= why;
                    diskFull |= full;
                }
                await cutter.DisposeAsync().ConfigureAwait(false);
            }
        }

        var end = await StopAsync(process).ConfigureAwait(false);
        await runCts.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);

        if (ct.IsCancellationRequested)
        {
            reason = RunResult.Cancelled;
        }
        else if (watchdog.Fired)
        {
            reason = $"stall: no data from {process.Name} for {camera.StallSeconds} s";
        }
        else
        {
            reason ??= end;
        }
        if (process is NativeIngest { Refused: { } refused })
        {
            Log.CannotStart(logger, camera.Name, refused);
            return new RunResult(reason, CannotStart: true);
        }
        if (process is NativeIngest { Unsupported: { } unsupported })
        {
            // auto: the same camera through ffmpeg at once; native only, or a pinned certificate ffmpeg would not
            // check: a camera that cannot start.
            var fellBack = camera.TlsFingerprint is null && choice.FallBack(unsupported);
            return new RunResult(reason, Reconfigure: fellBack, CannotStart: !fellBack);
        }
        if (!reconfigure && !ArgsMatch(args, input))
        {
            reconfigure = true; // e.g. G.711 audio: ffmpeg refused to copy it; AAC next time
        }
        if (reconfigure)
        {
            var f = facts.Value;
            Log.Reconfigure(logger, camera.Name, f.VideoCodec, f.AudioCodec);
        }

        if (runId is { } id)
        {
            TryEndRun(id, reason);
            Log.RunEnded(logger, camera.Name, id, cutter!.ClipsCompleted, reason);
        }
        return new RunResult(reason, reconfigure, DiskFull: diskFull, RunId: runId, FootageStart: cutter?.FirstStart, FootageEnd: cutter?.LastEnd);
    }

    private Action<string> LearnFromStderr()
    {
        var inputSection = true;
        return line =>
        {
            if (line.StartsWith("Output #", StringComparison.Ordinal))
            {
                inputSection = false;
            }
            if (inputSection)
            {
                facts.Learn(line);
            }
            Log.FfmpegLine(logger, camera.Name, line);
        };
    }

    private (string Reason, bool DiskFull) SinkError(Exception e, SecretScrubber scrubber) =>
        space?.IsFull(e) == true ? ($"disk full: {scrubber.Scrub(e.Message)}", true) : ($"sink error: {scrubber.Scrub(e.Message)}", false);

    /// <summary>Stops the source and returns its end in words.</summary>
    private async Task<string> StopAsync(IIngestSource process)
    {
        await process.StopAsync(settings.StopGrace).ConfigureAwait(false);
        try
        {
            return await process.WaitForEndAsync(CancellationToken.None).WaitAsync(settings.StopGrace + TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"{process.Name} did not exit";
        }
    }

    /// <summary>A run's end that cannot be written now (a full catalog) is closed as "crash" by the next start.</summary>
    private void TryEndRun(long runId, string reason)
    {
        try
        {
            journal.RunEnded(runId, time.GetUtcNow(), reason);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.JournalFailed(logger, camera.Name, e.Message);
        }
    }

    private bool ArgsMatch(IReadOnlyList<string> args, IngestInput input) =>
        args.SequenceEqual(IngestCommand.Build(input, camera.Audio, facts.Value));
}
