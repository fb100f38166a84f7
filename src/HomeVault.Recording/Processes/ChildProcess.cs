using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using HomeVault.Core.IO;

namespace HomeVault.Recording.Processes;

/// <summary>
/// The one way HomeVault runs another program: argv as a list (never a shell), stdin never the terminal's, stdout
/// a pipe the caller reads or one drained and dropped, stderr drained line by line into a bounded, scrubbed
/// <see cref="StderrRing"/>. A stop asks ffmpeg to finish (<c>q</c> on stdin) and kills the whole process tree
/// (SIGKILL) if it is still there after the grace; a cancelled start token kills the tree at once. How it ended is
/// one <see cref="ChildExit"/>.
/// <para>
/// ffmpeg answers <c>q</c> by writing its last fragment and trailer to stdout, so stdout must keep being read until
/// it closes: a stopped reader leaves ffmpeg blocked in write(2), deaf to <c>q</c>, until the kill.
/// </para>
/// </summary>
public sealed class ChildProcess : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly ChildInput _input;
    private readonly Stream? _output;
    private readonly Task _stderrPump;
    private readonly CancellationTokenRegistration _killOnCancel;
    private CancellationTokenSource? _killTimer;
    private int _quitSent;
    private volatile bool _killed;

    private ChildProcess(Process process, ChildOptions options, CancellationToken ct)
    {
        _process = process;
        _input = options.Input;
        Program = Path.GetFileName(process.StartInfo.FileName);
        Stderr = new StderrRing(options.StderrLines, options.Scrubber);
        if (_input == ChildInput.None)
        {
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.BaseStream;
        if (options.Output)
        {
            if (options.OutputPipeBytes > 0 && stdout is PipeStream pipe)
            {
                Pipes.TryResize(pipe.SafePipeHandle, options.OutputPipeBytes);
            }
            _output = options.OutputReadsBlock ? new BlockingReadStream(stdout) : stdout;
        }
        else
        {
            _ = DrainAsync(stdout);
        }
        _stderrPump = Task.Run(() => PumpStderrAsync(options.OnStderrLine), CancellationToken.None);
        _killOnCancel = ct.Register(Kill);
    }

    /// <summary>The executable's file name, for messages.</summary>
    public string Program { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last stderr lines, scrubbed.</summary>
    public StderrRing Stderr { get; }

    /// <summary>The child's stdin, for <see cref="ChildInput.Pipe"/>; <see cref="CloseInput"/> ends it.</summary>
    public Stream StandardInput => _input == ChildInput.Pipe ? _process.StandardInput.BaseStream
        : throw new InvalidOperationException($"{Program} was started without an input pipe");

    /// <summary>The child's stdout, when <see cref="ChildOptions.Output"/> asked for it.</summary>
    public Stream StandardOutput => _output ?? throw new InvalidOperationException($"{Program} was started without an output pipe");

    /// <summary>The stdout pipe's buffer in bytes, as the kernel granted it.</summary>
    internal int StdoutPipeSize => Pipes.Size(((PipeStream)_process.StandardOutput.BaseStream).SafePipeHandle);

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/> as its argv (no shell, no quoting).</summary>
    /// <param name="ct">Kills the whole tree when cancelled.</param>
    /// <exception cref="ChildProcessException">The program is missing or cannot be run.</exception>
    public static ChildProcess Start(string executable, IEnumerable<string> arguments, ChildOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new ChildOptions();
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
        foreach (var (name, value) in options.Environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            // Its own message names the working directory too; the errno's says it in a few words.
            throw new ChildProcessException($"cannot run {executable}: {new Win32Exception(e.NativeErrorCode).Message}", e);
        }
        return new ChildProcess(process, options, ct);
    }

    /// <summary>Ends the child's stdin (<see cref="ChildInput.Pipe"/>): the end of its input.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It stopped reading; how it ended says why.
        }
    }

    /// <summary>
    /// Asks ffmpeg to finish (<c>q</c>) without waiting, and kills the tree if it is still there after
    /// <paramref name="grace"/>; a child without <see cref="ChildInput.QuitKey"/> is killed at once. The caller
    /// keeps reading stdout to its end, which is where ffmpeg's last fragment arrives. Safe to call more than once
    /// and from any thread (a cancellation callback).
    /// </summary>
    public void RequestStop(TimeSpan grace)
    {
        if (_input != ChildInput.QuitKey)
        {
            Kill();
            return;
        }
        if (!SendQuit())
        {
            return;
        }
        var timer = new CancellationTokenSource(grace);
        timer.Token.Register(Kill);
        Volatile.Write(ref _killTimer, timer);
    }

    /// <summary>
    /// <see cref="RequestStop"/>, then waits for the child to leave. For a caller that has stopped reading stdout: the
    /// rest of it is drained and dropped, so ffmpeg is not left blocked writing to a pipe nobody reads.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        RequestStop(grace);
        var drain = _output is null ? Task.CompletedTask : DrainAsync(_process.StandardOutput.BaseStream);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace + DrainWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill(); // the timer's kill did not land (or a stop was requested earlier with a longer grace)
        }
        await drain.ConfigureAwait(false);
    }

    /// <summary>Kills the whole process tree now (a stall, a cancellation, a stop past its grace).</summary>
    public void Kill()
    {
        _killed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited (or disposed)
        }
    }

    /// <summary>Waits for the child to exit and its stderr to be drained; <paramref name="ct"/> ends the wait, not the child.</summary>
    public async Task<ChildExit> WaitForExitAsync(CancellationToken ct = default)
    {
        await _process.WaitForExitAsync(ct).ConfigureAwait(false);
        try
        {
            // A grandchild that outlived it may hold stderr open: what came by now is what there is.
            await _stderrPump.WaitAsync(DrainWait, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        return new ChildExit(Program, _process.ExitCode, _killed, Stderr.MostTelling());
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

    private static async Task DrainAsync(Stream stdout)
    {
        try
        {
            await stdout.CopyToAsync(Stream.Null).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe went away with the process.
        }
    }

    /// <summary>Kills the tree if it is still running and waits (briefly) for it and its stderr.</summary>
    public async ValueTask DisposeAsync()
    {
        await _killOnCancel.DisposeAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _killTimer, null)?.Dispose();
        if (!_process.HasExited)
        {
            Kill();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(DrainWait).ConfigureAwait(false);
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

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
