using System.Text;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>Looks for a secret's bytes in every regular file under some directories.</summary>
internal static class SecretScan
{
    /// <summary>Files under <paramref name="roots"/> holding <paramref name="secret"/>, except <paramref name="except"/>; every file must be readable.</summary>
    public static List<string> Private(string secret, IEnumerable<string> roots, string except) =>
        Find(secret, roots, except, sizeLimit: [], skipUnreadable: false);

    /// <summary>
    /// The same for directories every process shares (/tmp, /dev/shm): other users' and tests' files there may be
    /// unreadable, locked or gone by the time they are read, and are skipped; so are files over 16 MiB (cached
    /// test videos), far larger than anything that carries a password.
    /// </summary>
    public static List<string> Shared(string secret, IEnumerable<string> roots, string except) =>
        Find(secret, roots, except, sizeLimit: ["-size", "-16M"], skipUnreadable: true);

    /// <summary>
    /// find(1) lists the candidates: regular, non-empty files (no FIFO a read would block on), on the file system
    /// each root is on (-xdev: not into a /proc some chroot under /tmp has mounted).
    /// </summary>
    private static List<string> Find(string secret, IEnumerable<string> roots, string except, string[] sizeLimit, bool skipUnreadable)
    {
        var existing = roots.Where(Directory.Exists).ToList();
        if (existing.Count == 0)
        {
            return [];
        }
        var list = TestEnv.Run(TestEnv.Tool("find"), [.. existing, "-xdev", "-type", "f", "-size", "+0", .. sizeLimit, "-print0"]);
        Assert.True(skipUnreadable || list.Exit == 0, list.Stderr);
        var needle = Encoding.UTF8.GetBytes(secret);
        var found = new List<string>();
        foreach (var file in Encoding.UTF8.GetString(list.Stdout).Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => f != except))
        {
            try
            {
                if (File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add(file);
                }
            }
            catch (Exception e) when (skipUnreadable && e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
