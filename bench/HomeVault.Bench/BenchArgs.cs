using System.Globalization;

namespace HomeVault.Bench;

/// <summary>`--name value` options of the benchmarks' command lines.</summary>
internal static class BenchArgs
{
    public static double Num(string[] args, string name, double fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    public static string Text(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
