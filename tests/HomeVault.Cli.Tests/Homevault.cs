using System.Text;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>Runs the real `homevault` executable (the native build under scripts/test.sh, see TestEnv.Homevault) as a child process.</summary>
internal static class Homevault
{
    public sealed record Result(int Exit, string Stdout, string Stderr, byte[] StdoutBytes)
    {
        public string LastLine => Stdout.TrimEnd('\n').Split('\n')[^1];
    }

    public static Result Run(params string[] args) => RunWith(null, null, args);

    public static Result RunWith(byte[]? stdin, IDictionary<string, string>? env, params string[] args)
    {
        var (exit, stdout, stderr) = TestEnv.RunHomevault(args, stdin, env);
        return new Result(exit, Encoding.UTF8.GetString(stdout), stderr, stdout);
    }

    /// <summary>A fresh initialised data directory with one owner and a passphrase file.</summary>
    public static (string Dir, string Data, string PassFile) Init(string owner = "alice", string passphrase = "correct horse battery staple")
    {
        var dir = TestEnv.NewTempDir("hvcli");
        var pass = Path.Combine(dir, "pass");
        File.WriteAllText(pass, passphrase + "\n");
        var data = Path.Combine(dir, "data");
        var r = Run("init", "--data", data, "--owner", owner, "--passphrase-file", pass);
        Assert.True(r.Exit == 0, r.Stderr);
        return (dir, data, pass);
    }
}
