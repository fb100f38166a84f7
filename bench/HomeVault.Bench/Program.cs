using System.Reflection;

namespace HomeVault.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/HomeVault.Bench -- NAME [args]` runs the benchmark class
/// `NAME`Bench (for example `vault` → VaultBench), each of which compares HomeVault against a peer
/// tool in the same run and prints the ratio.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var benches = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Bench", StringComparison.Ordinal) && t.GetMethod("Run", BindingFlags.Public | BindingFlags.Static) is not null)
            .ToDictionary(t => t.Name[..^"Bench".Length].ToLowerInvariant(), t => t);
        if (args.Length == 0 || !benches.TryGetValue(args[0].ToLowerInvariant(), out var type))
        {
            Console.Error.WriteLine($"usage: HomeVault.Bench {{{string.Join('|', benches.Keys.Order())}}} [options]");
            return 2;
        }
        return (int)type.GetMethod("Run")!.Invoke(null, [args[1..]])!;
    }
}
