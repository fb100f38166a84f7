namespace HomeVault.Core.IO;

/// <summary>A data directory a command creates (`init`, `replica restore`): absent or empty before, and removed again if the command fails.</summary>
public static class NewDirectory
{
    /// <summary>Whether <paramref name="root"/> exists (it must then be empty).</summary>
    /// <exception cref="UserError">It exists and holds something.</exception>
    public static bool Check(string root)
    {
        var existed = Directory.Exists(root);
        if (existed && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new UserError($"{root} already exists and is not empty; nothing was changed");
        }
        return existed;
    }

    /// <summary>Only what the command created is removed: the directory was absent or empty before.</summary>
    public static void RemoveCreated(string root, bool existed)
    {
        if (!Directory.Exists(root))
        {
            return;
        }
        if (!existed)
        {
            Directory.Delete(root, recursive: true);
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(root))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }
}
