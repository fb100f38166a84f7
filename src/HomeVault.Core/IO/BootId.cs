namespace HomeVault.Core.IO;

/// <summary>
/// The kernel's random id for this boot (Linux), or null where there is none. A file written in an earlier
/// boot may have lost whatever was not fsynced, which a killed process's files never do.
/// </summary>
public static class BootId
{
    private static readonly Lazy<string?> Value = new(Read);

    public static string? Current => Value.Value;

    private static string? Read()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() is { Length: > 0 } id ? id : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
