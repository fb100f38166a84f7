using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Recording.Processes;

/// <summary>
/// The last N stderr lines of a child process, already scrubbed. Bounded so a process that talks for
/// months costs the same memory as one that talked for a minute.
/// </summary>
public sealed class StderrRing
{
    private const int MaxLineLength = 1024;
    private readonly string[] _lines;
    private readonly SecretScrubber _scrubber;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    public StderrRing(int capacity, SecretScrubber scrubber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lines = new string[capacity];
        _scrubber = scrubber ?? throw new ArgumentNullException(nameof(scrubber));
    }

    /// <summary>Scrubs, truncates and keeps the line; returns the stored (safe) form.</summary>
    public string Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var safe = _scrubber.Scrub(line.Length > MaxLineLength ? line[..MaxLineLength] : line);
        lock (_gate)
        {
            _lines[_next] = safe;
            _next = (_next + 1) % _lines.Length;
            _count = Math.Min(_count + 1, _lines.Length);
        }
        return safe;
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            var result = new string[_count];
            var start = (_next - _count + _lines.Length) % _lines.Length;
            for (var i = 0; i < _count; i++)
            {
                result[i] = _lines[(start + i) % _lines.Length];
            }
            return result;
        }
    }

    /// <summary>The last non-blank line; null when the process said nothing.</summary>
    public string? LastLine()
    {
        var lines = Snapshot();
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                return lines[i].Trim();
            }
        }
        return null;
    }

    /// <summary>
    /// The most telling recent line, for an end reason: the last one that reads like an error (ffmpeg's closing
    /// boilerplate skipped), else the last one; null when the process said nothing.
    /// </summary>
    public string? MostTelling()
    {
        var lines = Snapshot();
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var l = lines[i].Trim();
            if (l.Length == 0 || l.StartsWith("Stream", StringComparison.Ordinal) || l.StartsWith("Last message repeated", StringComparison.Ordinal)
                || l is "Conversion failed!" || l.StartsWith("Exiting normally", StringComparison.Ordinal)
                || l.StartsWith("Error initializing output stream", StringComparison.Ordinal))
            {
                continue;
            }
            if (l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)
                || l.Contains("refused", StringComparison.OrdinalIgnoreCase) || l.Contains("Could not", StringComparison.Ordinal)
                || l.Contains("Unauthorized", StringComparison.Ordinal) || l.Contains("Invalid", StringComparison.Ordinal)
                || l.Contains("timed out", StringComparison.OrdinalIgnoreCase) || l.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                return l;
            }
        }
        return LastLine();
    }
}
