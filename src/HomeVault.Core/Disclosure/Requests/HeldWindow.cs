namespace HomeVault.Core.Disclosure.Requests;

/// <summary>A camera's footage in [From, To) that retention must keep because of request <see cref="RequestId"/>.</summary>
public sealed record HeldWindow(string RequestId, RequestState State, string Camera, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>True when a clip [start, end] of this camera overlaps the held window.</summary>
    public bool Covers(string camera, DateTimeOffset start, DateTimeOffset end) =>
        string.Equals(camera, Camera, StringComparison.Ordinal) && start < To && end > From;
}
