using System.Text;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// The README's first command, `homevault demo` (cameras, recording, sealing, a request, a narrowed approval, the
/// release and its verification), run by the native binary under the seccomp rules systemd applies for
/// MemoryDenyWriteExecute=yes, which the shipped unit sets (tools/mdwe/mdwe-exec.py).
/// </summary>
public sealed class DemoTests
{
    private static string Filter { get; } = Path.Combine(TestEnv.RepoRoot, "tools", "mdwe", "mdwe-exec.py");

    [Fact]
    public void The_filter_stops_a_jit_compiled_program()
    {
        // The JIT build beside the tests needs writable and executable memory: under the filter it cannot start.
        var r = TestEnv.Run(Filter, [TestEnv.Tool("dotnet"), Path.Combine(AppContext.BaseDirectory, "homevault.dll"), "--help"]);
        Assert.NotEqual(0, r.Exit);
    }

    [Fact]
    public void Demo_runs_its_whole_cycle_under_MemoryDenyWriteExecute()
    {
        var (file, prefix) = TestEnv.Homevault();
        if (prefix.Length > 0)
        {
            Assert.Skip("needs the native binary (HOMEVAULT_CLI, as scripts/test.sh sets it): a JIT cannot run under MemoryDenyWriteExecute");
        }
        var dir = TestEnv.NewTempDir("hvdemo");
        try
        {
            var r = TestEnv.Run(Filter, [file, "demo", "--seconds", "12", "--data", Path.Combine(dir, "data")], timeoutMs: 900_000);
            var text = Encoding.UTF8.GetString(r.Stdout);
            Assert.True(r.Exit == 0, r.Stderr + text);
            Assert.Contains("(no plaintext video anywhere under ", text, StringComparison.Ordinal);
            Assert.Matches(@"homevault verify \S+: OK \([1-9]\d* clips?, checkpoint size \d+\)", text);
            Assert.Matches(@"\.tar -i: OK \([1-9]\d* clips? decrypted, plaintext hashes match\)", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
