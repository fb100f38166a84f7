namespace HomeVault.Recording.Tests.Support;

/// <summary>How much of a window a set of intervals (clips and gaps) leaves unaccounted.</summary>
internal static class Coverage
{
    public static TimeSpan Uncovered(IEnumerable<(DateTimeOffset From, DateTimeOffset Until)> intervals, DateTimeOffset from, DateTimeOffset until)
    {
        var missing = TimeSpan.Zero;
        var reached = from;
        foreach (var (a, b) in intervals.OrderBy(i => i.From))
        {
            if (a > reached)
            {
                missing += (a < until ? a : until) - reached;
            }
            if (b > reached)
            {
                reached = b;
            }
            if (reached >= until)
            {
                return missing;
            }
        }
        return missing + (until - reached);
    }

    /// <summary>Where coverage breaks, for a failure message.</summary>
    public static string Holes(IEnumerable<(DateTimeOffset From, DateTimeOffset Until)> intervals, DateTimeOffset from, DateTimeOffset until)
    {
        var holes = new List<string>();
        var reached = from;
        foreach (var (a, b) in intervals.OrderBy(i => i.From))
        {
            if (a > reached)
            {
                holes.Add($"{reached:HH:mm:ss.fff}..{a:HH:mm:ss.fff}");
            }
            if (b > reached)
            {
                reached = b;
            }
        }
        if (reached < until)
        {
            holes.Add($"{reached:HH:mm:ss.fff}..{until:HH:mm:ss.fff}");
        }
        return string.Join(", ", holes);
    }
}
