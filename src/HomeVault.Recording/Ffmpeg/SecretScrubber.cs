using System.Text.RegularExpressions;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// Removes credentials from text that came from ffmpeg (or an exception about it) before it is
/// kept, logged or shown: any <c>scheme://userinfo@</c> and every literal form of the known secrets.
/// </summary>
public sealed partial class SecretScrubber
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    /// <param name="secrets">Raw secrets (passwords); their percent-encoded forms are masked too.</param>
    public SecretScrubber(params IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length) // longest first so a secret inside another is not half-masked
            .ToArray();
    }

    public static SecretScrubber None { get; } = new();

    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = UserInfo().Replace(text, "://" + Mask + "@");
        foreach (var s in _secrets)
        {
            result = result.Replace(s, Mask, StringComparison.Ordinal);
        }
        return result;
    }

    // userinfo may itself contain '@' only percent-encoded, but be greedy up to the last '@'
    // before the host so a raw '@' in a password is still covered.
    [GeneratedRegex(@"://[^\s/'""]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
