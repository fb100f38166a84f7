using System.Text;
using HomeVault.Core;
using HomeVault.Recording.Ffmpeg;
using HomeVault.Recording.Processes;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Processes;

/// <summary>The child-process runner with real children: /bin/sh scripts, sleep, cat, echo and ffmpeg.</summary>
public sealed class ChildProcessTests
{
    private static ChildProcess Sh(string script, CancellationToken ct, ChildOptions? options = null) =>
        ChildProcess.Start("/bin/sh", ["-c", script], options, ct);

    [Fact]
    public void Stderr_ring_keeps_only_the_last_lines_scrubbed()
    {
        var ring = new StderrRing(3, new SecretScrubber("pw123"));
        for (var i = 0; i < 10; i++)
        {
            ring.Add($"line {i} pw123");
        }
        Assert.Equal(["line 7 ***", "line 8 ***", "line 9 ***"], ring.Snapshot());
        Assert.Equal("line 9 ***", ring.LastLine());
    }

    [Fact]
    public async Task A_talkative_child_leaves_only_its_last_stderr_lines_with_credentials_masked()
    {
        var seen = new List<string>();
        await using var child = Sh("""i=1; while [ $i -le 500 ]; do echo "line $i rtsp://admin:pw123@cam/live pw123" >&2; i=$((i+1)); done; exit 3""", TestContext.Current.CancellationToken,
            new ChildOptions { StderrLines = 4, Scrubber = new SecretScrubber("pw123"), OnStderrLine = l => { lock (seen) { seen.Add(l); } } });

        var exit = await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["line 497 rtsp://***@cam/live ***", "line 498 rtsp://***@cam/live ***", "line 499 rtsp://***@cam/live ***", "line 500 rtsp://***@cam/live ***"],
            child.Stderr.Snapshot());
        Assert.Equal(3, exit.Code);
        Assert.Equal("exit 3: line 500 rtsp://***@cam/live ***", exit.Describe());
        // Every line passed on was scrubbed as well, and all 500 were.
        Assert.Equal(500, seen.Count);
        Assert.DoesNotContain(seen, l => l.Contains("pw123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Q_stops_ffmpeg_gracefully()
    {
        var muxing = 0;
        await using var ffmpeg = ChildProcess.Start(TestEnv.Tool("ffmpeg"),
            ["-hide_banner", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-f", "null", "-"],
            new ChildOptions
            {
                Input = ChildInput.QuitKey,
                StderrLines = 5,
                // ffmpeg reads its keys in the loop that reports progress.
                OnStderrLine = l => { if (l.StartsWith("frame=", StringComparison.Ordinal)) { Volatile.Write(ref muxing, 1); } },
            },
            TestContext.Current.CancellationToken);
        await Wait.Until(() => Volatile.Read(ref muxing) == 1 || ffmpeg.HasExited, "ffmpeg's first progress line");

        await ffmpeg.StopAsync(TimeSpan.FromSeconds(20));
        var exit = await ffmpeg.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, exit.Code); // 'q' is a clean exit; a kill would be 137
        Assert.False(exit.Killed);
        Assert.InRange(ffmpeg.Stderr.Snapshot().Count, 1, 5);
    }

    [Fact]
    public async Task A_child_that_ignores_q_is_killed_after_the_grace_with_its_whole_tree()
    {
        // sh never reads stdin, so 'q' is lost on it; its background sleep is a grandchild of ours.
        await using var child = Sh("sleep 600 & echo \"grandchild $!\" >&2; wait", TestContext.Current.CancellationToken, new ChildOptions { Input = ChildInput.QuitKey });
        var grandchild = 0;
        await Wait.Until(() => child.Stderr.LastLine() is { } l && l.StartsWith("grandchild ", StringComparison.Ordinal) && int.TryParse(l[11..], out grandchild),
            "the grandchild's pid");
        Assert.True(Alive(grandchild));

        await child.StopAsync(TimeSpan.FromSeconds(1));
        var exit = await child.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(exit.Killed);
        Assert.Equal(9, exit.Signal);
        Assert.Equal($"killed by HomeVault (SIGKILL): grandchild {grandchild}", exit.Describe());
        await Wait.Until(() => !Alive(grandchild), $"grandchild {grandchild} to be gone");
    }

    [Fact]
    public async Task Exit_diagnosis_names_the_signal_or_the_exit_code_and_the_telling_line()
    {
        await using (var segv = Sh("echo 'about to crash' >&2; kill -SEGV $$", TestContext.Current.CancellationToken))
        {
            var exit = await segv.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal((11, false), (exit.Signal, exit.Killed));
            Assert.Equal("killed by SIGSEGV: about to crash", exit.Describe());
        }
        await using (var refused = Sh("echo 'Input #0, opening' >&2; echo '[tcp @ 0x1] Connection to tcp://cam:554 failed: Connection refused' >&2; echo 'Exiting.' >&2; exit 1", TestContext.Current.CancellationToken))
        {
            var exit = await refused.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Null(exit.Signal);
            Assert.False(exit.Success);
            // The line that reads like an error, not the last one.
            Assert.Equal("exit 1: [tcp @ 0x1] Connection to tcp://cam:554 failed: Connection refused", exit.Describe());
            Assert.Equal("sh: exit 1: [tcp @ 0x1] Connection to tcp://cam:554 failed: Connection refused", exit.ToString());
        }
        await using (var silent = Sh("exit 0", TestContext.Current.CancellationToken))
        {
            var exit = await silent.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(exit.Success);
            Assert.Equal("exit 0: (no output)", exit.Describe());
        }
    }

    [Fact]
    public async Task Cancelling_the_start_token_kills_the_tree_and_cancelling_a_wait_does_not()
    {
        await using (var waited = ChildProcess.Start("sleep", ["600"], ct: TestContext.Current.CancellationToken))
        {
            using var gaveUp = new CancellationTokenSource();
            await gaveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waited.WaitForExitAsync(gaveUp.Token));
            Assert.False(waited.HasExited);
        }

        using var cts = new CancellationTokenSource();
        await using var child = Sh("sleep 600 & echo \"grandchild $!\" >&2; wait", cts.Token);
        var grandchild = 0;
        await Wait.Until(() => child.Stderr.LastLine() is { } l && l.StartsWith("grandchild ", StringComparison.Ordinal) && int.TryParse(l[11..], out grandchild),
            "the grandchild's pid");
        await cts.CancelAsync();

        var exit = await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(exit.Killed);
        Assert.Equal(9, exit.Signal);
        await Wait.Until(() => !Alive(grandchild), $"grandchild {grandchild} to be gone");
    }

    [Fact]
    public async Task Argv_reaches_the_child_as_given_and_stdin_is_never_the_terminal()
    {
        await using (var echo = ChildProcess.Start("echo", ["$(id)", "a b;c", "'q'"], new ChildOptions { Output = true }, TestContext.Current.CancellationToken))
        {
            using var reader = new StreamReader(echo.StandardOutput);
            Assert.Equal("$(id) a b;c 'q'\n", await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
            Assert.True((await echo.WaitForExitAsync(TestContext.Current.CancellationToken)).Success);
        }
        // Without an input pipe the child reads end-of-file at once.
        await using (var cat = ChildProcess.Start("cat", [], new ChildOptions { Output = true }, TestContext.Current.CancellationToken))
        {
            using var reader = new StreamReader(cat.StandardOutput);
            Assert.Equal("", await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
            Assert.True((await cat.WaitForExitAsync(TestContext.Current.CancellationToken)).Success);
        }
        // With one, what is written comes back through the output pipe.
        await using (var cat = ChildProcess.Start("cat", [], new ChildOptions { Input = ChildInput.Pipe, Output = true }, TestContext.Current.CancellationToken))
        {
            using var reader = new StreamReader(cat.StandardOutput);
            var read = reader.ReadToEndAsync(TestContext.Current.CancellationToken);
            await cat.StandardInput.WriteAsync(Encoding.UTF8.GetBytes("through the pipes"), TestContext.Current.CancellationToken);
            cat.CloseInput();
            Assert.Equal("through the pipes", await read);
            Assert.True((await cat.WaitForExitAsync(TestContext.Current.CancellationToken)).Success);
        }
    }

    [Fact]
    public void A_program_that_cannot_run_is_a_one_line_user_error()
    {
        var missing = Path.Combine(TestEnv.NewTempDir("hv-child"), "no-such-tool");

        var e = Assert.Throws<ChildProcessException>(() => ChildProcess.Start(missing, [], ct: TestContext.Current.CancellationToken));

        Assert.IsAssignableFrom<UserError>(e);
        Assert.Equal($"cannot run {missing}: No such file or directory", e.Message);
    }

    /// <summary>Whether the process runs: absent, or a zombie nobody has reaped yet (dead), is not.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
