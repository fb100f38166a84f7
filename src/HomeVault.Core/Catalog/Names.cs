using System.Text.RegularExpressions;

namespace HomeVault.Core.Catalog;

/// <summary>
/// Owner and camera names end up in file names and log lines, so they are restricted to a safe
/// identifier alphabet: lower-case letters, digits, '-' and '_', starting with a letter or digit.
/// </summary>
public static partial class Names
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    public static bool IsValid(string? name) => name is not null && SafeName().IsMatch(name);

    /// <exception cref="ArgumentException">The name is not a safe identifier.</exception>
    public static void ThrowIfInvalid(string? name, string what)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"{what} '{name}' is invalid: use 1-32 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
    }
}
