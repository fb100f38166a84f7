using System.Text;
using HomeVault.Tests;

namespace HomeVault.Web.Tests;

/// <summary>Runs the real `homevault` executable (built beside the tests) as a child process.</summary>
internal static class Homevault
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "homevault.dll");

    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("dotnet"), [Dll, .. args], [], new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
        return (exit, Encoding.UTF8.GetString(stdout), stderr);
    }

    public static string LastLine(string stdout) => stdout.TrimEnd('\n').Split('\n')[^1];
}
