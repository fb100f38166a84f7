namespace HomeVault.Core.Reports;

/// <summary>
/// What was actually handed over for a request: the clip footage in its release package. The approved scope says
/// what may be disclosed; the release says what was (the scope can hold gaps). Supplied by the release feature;
/// a report without it shows scope minutes only.
/// </summary>
public interface IReleaseFacts
{
    /// <summary>The footage in the request's release (summed over clips, trimmed to the approved window), or null when no release is recorded.</summary>
    ReleasedFootage? Footage(string requestId);
}

/// <summary>Clips and their total length in one release package.</summary>
public sealed record ReleasedFootage(int Clips, TimeSpan Length);

/// <summary>No releases recorded (an installation before the release builder).</summary>
public sealed class NoReleaseFacts : IReleaseFacts
{
    public static NoReleaseFacts Instance { get; } = new();

    public ReleasedFootage? Footage(string requestId) => null;
}
