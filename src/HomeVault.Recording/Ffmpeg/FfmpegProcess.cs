using System.Diagnostics;
using System.IO.Pipes;
using HomeVault.Core.IO;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// One long-running ffmpeg: started without a shell, stdout exposed as a stream, stderr drained
/// continuously into a bounded ring, stopped with <c>q</c> on stdin, then killed (whole tree)
/// if it does not leave in time. ffmpeg answers <c>q</c> by writing its last fragment and trailer to
/// stdout, so stdout must keep being read until it closes: a stopped reader leaves ffmpeg blocked in
/// write(2), deaf to <c>q</c>, until the kill.
/// <para>
/// stdout is a 1 MiB pipe (the kernel's default is 64 KiB), so ffmpeg hands over a whole fragment
/// (about 1 MB for 2 s at 4 Mbit/s) without blocking and the reader takes it in a few reads.
/// <see cref="StandardOutput"/> reads with plain blocking read(2): the recorder reads each camera on a
/// thread of its own, which wakes once per read, where .NET's async pipe reads wake an epoll thread and
/// then a pool thread for every read (measured on the recording bench; see the README).
/// </para>
/// </summary>
public sealed class FfmpegProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stderrPump;
    private CancellationTokenSource? _killTimer;
    private int _quitSent;

    private FfmpegProcess(Process process, StderrRing stderr, Action<string>? onStderrLine)
    {
        _process = process;
        Stderr = stderr;
        var stdout = process.StandardOutput.BaseStream;
        if (stdout is PipeStream pipe)
        {
            Pipes.TryResize(pipe.SafePipeHandle, StdoutPipeBytes);
        }
        StandardOutput = new BlockingReadStream(stdout);
        _stderrPump = Task.Run(() => PumpStderrAsync(onStderrLine));
    }

    public StderrRing Stderr { get; }

    /// <summary>What the stdout pipe is asked to hold; a refusal (a lowered pipe-max-size) leaves it at the default.</summary>
    public const int StdoutPipeBytes = 1 << 20;

    /// <summary>The stdout pipe's buffer in bytes, as the kernel granted it.</summary>
    internal int StdoutPipeSize => Pipes.Size(((PipeStream)_process.StandardOutput.BaseStream).SafePipeHandle);

    /// <summary>ffmpeg's stdout. Its async reads block the calling thread: read it from a thread of its own.</summary>
    public Stream StandardOutput { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/> as argv (no shell, no quoting).</summary>
    /// <param name="onStderrLine">Called with each scrubbed stderr line from the drain thread.</param>
    public static FfmpegProcess Start(string executable, IEnumerable<string> arguments, SecretScrubber scrubber,
        int stderrLines = 50, Action<string>? onStderrLine = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new FfmpegProcess(process, new StderrRing(stderrLines, scrubber), onStderrLine);
    }

    private async Task PumpStderrAsync(Action<string>? onLine)
    {
        try
        {
            var reader = _process.StandardError;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var safe = Stderr.Add(line);
                onLine?.Invoke(safe);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away under us; what was read is in the ring.
        }
    }

    /// <summary>Waits for exit and for stderr to be fully drained; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct).ConfigureAwait(false);
        await _stderrPump.WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>
    /// Asks ffmpeg to finish (<c>q</c>) without waiting, and kills the tree if it is still there after
    /// <paramref name="grace"/>. The caller keeps reading stdout to its end, which is where ffmpeg's last
    /// fragment arrives. Safe to call more than once and from any thread (a cancellation callback).
    /// </summary>
    public void RequestStop(TimeSpan grace)
    {
        if (!SendQuit())
        {
            return;
        }
        var timer = new CancellationTokenSource(grace);
        timer.Token.Register(Kill);
        Volatile.Write(ref _killTimer, timer);
    }

    /// <summary>
    /// Asks ffmpeg to finish (<c>q</c>: it writes its trailer), waits up to <paramref name="grace"/>, then kills
    /// the tree. For a caller that has stopped reading stdout: the rest of it is drained and dropped, so
    /// ffmpeg is not left blocked writing to a pipe nobody reads.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        SendQuit();
        var drain = DrainStdoutAsync();
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        await drain.ConfigureAwait(false);
    }

    private bool SendQuit()
    {
        if (Interlocked.Exchange(ref _quitSent, 1) == 1 || _process.HasExited)
        {
            return false;
        }
        try
        {
            _process.StandardInput.Write('q');
            _process.StandardInput.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // stdin already closed: ffmpeg is on its way out, or wedged; the kill settles it.
        }
        return true;
    }

    private async Task DrainStdoutAsync()
    {
        try
        {
            await _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe went away with the process.
        }
    }

    /// <summary>Kills the whole process tree now (stall, shutdown past grace).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _killTimer, null) is { } timer)
        {
            timer.Dispose();
        }
        if (!_process.HasExited)
        {
            Kill();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Nothing more we can do; the OS reaps it.
            }
        }
        try
        {
            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        _process.Dispose();
    }
}
