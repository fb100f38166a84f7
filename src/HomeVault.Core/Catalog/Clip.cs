namespace HomeVault.Core.Catalog;

/// <summary>A sealed clip as the catalog knows it. <see cref="Path"/> is relative to the data directory.</summary>
public sealed record Clip(
    long Id,
    string Camera,
    long? RunId,
    string Path,
    DateTimeOffset Start,
    DateTimeOffset End,
    long PlaintextBytes,
    long CiphertextBytes,
    string? Sha256,
    ClipState State,
    long? AuditIndex);

public enum ClipState
{
    /// <summary>Being written; size and end advance, a sync behind, to the whole fragments in fsynced chunks. No hash or audit leaf yet.</summary>
    Recording,
    Complete,
    Truncated,
    Deleted,
}
