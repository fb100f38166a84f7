using System.Diagnostics;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// One long-running ffmpeg: started without a shell, stdout exposed as a stream, stderr drained
/// continuously into a bounded ring, stopped with <c>q</c> on stdin, then killed (whole tree)
/// if it does not leave in time.
/// </summary>
public sealed class FfmpegProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stderrPump;

    private FfmpegProcess(Process process, StderrRing stderr, Action<string>? onStderrLine)
    {
        _process = process;
        Stderr = stderr;
        _stderrPump = Task.Run(() => PumpStderrAsync(onStderrLine));
    }

    public StderrRing Stderr { get; }

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

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

    /// <summary>Asks ffmpeg to finish (<c>q</c>: it writes its trailer), waits up to <paramref name="grace"/>, then kills the tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        try
        {
            await _process.StandardInput.WriteAsync('q').ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // stdin already closed: ffmpeg is on its way out, or wedged; the kill below settles it.
        }
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
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
