namespace HomeVault.Core.Disclosure.Decisions;

/// <summary>
/// An owner's approval of a pending request, optionally narrowed: <paramref name="Cameras"/>, <paramref name="From"/>
/// and <paramref name="To"/> default to the requested ones; <paramref name="Expires"/> to midnight UTC 14 days from
/// today (so co-signers on one day sign identical statements); <paramref name="OutDirectory"/> to
/// DATA/releases/REQUEST-ID.
/// </summary>
public sealed record ApproveCommand(
    string RequestId,
    string Owner,
    IReadOnlyList<string>? Cameras,
    DateTimeOffset? From,
    DateTimeOffset? To,
    bool StripAudio,
    DateTimeOffset? Expires,
    string? OutDirectory);
