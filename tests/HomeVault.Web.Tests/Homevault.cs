using System.Text;
using HomeVault.Tests;

namespace HomeVault.Web.Tests;

/// <summary>Runs the real `homevault` executable (the native build under scripts/test.sh, see TestEnv.Homevault) as a child process.</summary>
internal static class Homevault
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var (exit, stdout, stderr) = TestEnv.RunHomevault(args);
        return (exit, Encoding.UTF8.GetString(stdout), stderr);
    }

    public static string LastLine(string stdout) => stdout.TrimEnd('\n').Split('\n')[^1];
}
