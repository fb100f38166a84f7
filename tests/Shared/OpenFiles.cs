namespace HomeVault.Tests;

/// <summary>This test process's open descriptors as /proc shows them (other tests open and close theirs meanwhile).</summary>
internal static class OpenFiles
{
    /// <summary>Where the /proc fd link points (e.g. <c>/memfd:NAME (deleted)</c>), or null if it closed meanwhile.</summary>
    public static string? Target(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>What each descriptor of this process points to now.</summary>
    public static List<string> Targets() =>
        Directory.GetFiles("/proc/self/fd").Select(Target).OfType<string>().ToList();
}
