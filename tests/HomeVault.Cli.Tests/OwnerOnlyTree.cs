namespace HomeVault.Cli.Tests;

/// <summary>Asserts that a directory and everything under it is its owner's alone: files 0600, directories 0700.</summary>
internal static class OwnerOnlyTree
{
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Dir0700 = File0600 | UnixFileMode.UserExecute;

    /// <summary>Checks every entry, naming all that differ in the failure; returns the paths checked, relative to <paramref name="root"/>.</summary>
    public static List<string> AssertOwnerOnly(string root)
    {
        var entries = new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Prepend(new DirectoryInfo(root)).ToList();
        var wrong = entries.Where(e => e.UnixFileMode != (e is DirectoryInfo ? Dir0700 : File0600))
            .Select(e => $"{e.FullName} {Convert.ToString((int)e.UnixFileMode, 8)}").ToList();
        Assert.True(wrong.Count == 0, "not owner-only (files 0600, directories 0700):\n" + string.Join('\n', wrong));
        return entries.Select(e => Path.GetRelativePath(root, e.FullName)).ToList();
    }
}
