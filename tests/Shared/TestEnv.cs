using System.Diagnostics;

namespace HomeVault.Tests;

/// <summary>Where the repository and the real tools are (the third-party vectors: tests/vectors, see VectorFiles).</summary>
internal static class TestEnv
{
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HomeVault.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("HomeVault.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Full path of a real binary the test needs; a missing one fails (\.ci/run installs them).</summary>
    public static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Fail($"required tool '{name}' is not installed (run .ci/run or apt-get install it)");
        return name;
    }

    /// <summary>
    /// The `homevault` command the process-level tests run, as file and leading arguments: the native binary named
    /// by HOMEVAULT_CLI (scripts/test.sh publishes it exactly as the README installs it), else the build beside
    /// the tests through `dotnet`.
    /// </summary>
    public static (string File, string[] Prefix) Homevault()
    {
        if (Environment.GetEnvironmentVariable("HOMEVAULT_CLI") is { Length: > 0 } native)
        {
            Assert.True(File.Exists(native), $"HOMEVAULT_CLI names {native}, which does not exist");
            return (native, []);
        }
        return (Tool("dotnet"), [Path.Combine(AppContext.BaseDirectory, "homevault.dll")]);
    }

    /// <summary>Runs `homevault ARGS` to completion (see <see cref="Homevault()"/>), with <paramref name="env"/> over DOTNET_NOLOGO=1.</summary>
    public static (int Exit, byte[] Stdout, string Stderr) RunHomevault(IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string>? env = null)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" };
        foreach (var kv in env ?? new Dictionary<string, string>())
        {
            environment[kv.Key] = kv.Value;
        }
        var (file, prefix) = Homevault();
        return Run(file, [.. prefix, .. args], stdin ?? [], environment);
    }

    /// <summary>Start information for `homevault ARGS` with redirected output (see <see cref="Homevault()"/>).</summary>
    public static System.Diagnostics.ProcessStartInfo HomevaultStartInfo(params string[] args)
    {
        var (file, prefix) = Homevault();
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in prefix.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        return psi;
    }

    public static string NewTempDir(string prefix = "hv")
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a process to completion with stdin bytes; returns exit code, stdout bytes and stderr text.</summary>
    public static (int Exit, byte[] Stdout, string Stderr) Run(string file, IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string>? env = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (env is not null)
        {
            foreach (var kv in env)
            {
                psi.Environment[kv.Key] = kv.Value;
            }
        }
        using var p = Process.Start(psi)!;
        var stdoutTask = Task.Run(() =>
        {
            using var ms = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(ms);
            return ms.ToArray();
        });
        var stderrTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} timed out after {timeoutMs} ms");
        }
        return (p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }
}
