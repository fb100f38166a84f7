namespace HomeVault.Bench;

/// <summary>The HomeVault binary the benchmarks run: published natively by scripts/publish.sh, as the README installs it.</summary>
internal static class NativeCli
{
    /// <summary>The service process's name in /proc (comm), by which the samplers tell it from its ffmpeg children.</summary>
    public const string Comm = "homevault";

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "HomeVault.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("HomeVault.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Publishes into <paramref name="work"/>/homevault-publish and returns the path of the native `homevault`.</summary>
    public static string Publish(string root, string work)
    {
        var output = Path.Combine(work, "homevault-publish");
        Console.WriteLine("publishing src/HomeVault.Cli natively (scripts/publish.sh), as the README installs it ...");
        Tool.Run(Path.Combine(root, "scripts", "publish.sh"), output);
        return Path.Combine(output, "homevault");
    }
}
