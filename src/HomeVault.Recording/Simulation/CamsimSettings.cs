using System.Globalization;

namespace HomeVault.Recording.Simulation;

/// <summary>
/// What every camsim run chooses: the test pattern's encode (size, rate, length, bitrate, GOP; each
/// distinct encode is cached) and the plain mounts. Null leaves camsim's default.
/// </summary>
public sealed record CamsimSettings
{
    public string? Size { get; init; }

    public int? Fps { get; init; }

    /// <summary>Length of the clip each client gets from its start.</summary>
    public int? Seconds { get; init; }

    public string? Bitrate { get; init; }

    /// <summary>Keyframe interval in frames (a fragment per GOP downstream).</summary>
    public int? Gop { get; init; }

    public string? CacheDirectory { get; init; }

    public IReadOnlyList<string> Mounts { get; init; } = [];

    public IEnumerable<string> ToArguments()
    {
        yield return "--port";
        yield return "0";
        foreach (var (flag, value) in new (string, string?)[]
        {
            ("--size", Size), ("--fps", Format(Fps)), ("--seconds", Format(Seconds)), ("--bitrate", Bitrate), ("--gop", Format(Gop)), ("--cache-dir", CacheDirectory),
        })
        {
            if (value is not null)
            {
                yield return flag;
                yield return value;
            }
        }
        foreach (var m in Mounts)
        {
            yield return "--mount";
            yield return m;
        }
    }

    private static string? Format(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
