namespace HomeVault.Core.Disclosure.Reports;

/// <summary>
/// What was actually handed over for a request: the clip footage in its release package. The approved scope says
/// what may be disclosed; the release says what was (the scope can hold gaps). Supplied by the release feature;
/// a report without it shows scope minutes only.
/// </summary>
public interface IReleaseFacts
{
    /// <summary>The footage in the request's release, or null when no release is recorded.</summary>
    ReleasedFootage? Footage(string requestId);
}

/// <summary>
/// Clips and bytes in one release package, and their total length (clips trimmed to the approved window), which is
/// null when the package's manifest is no longer there to read (an expired or revoked release has its files deleted).
/// </summary>
public sealed record ReleasedFootage(int Clips, long Bytes, TimeSpan? Length);
