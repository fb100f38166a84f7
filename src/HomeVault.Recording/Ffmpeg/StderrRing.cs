namespace HomeVault.Recording.Ffmpeg;

/// <summary>
/// The last N stderr lines of a process, already scrubbed. Bounded so a process that talks for
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

    /// <summary>The last non-blank line, for an end reason; null when ffmpeg said nothing.</summary>
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
}
