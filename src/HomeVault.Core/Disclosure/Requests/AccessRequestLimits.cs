namespace HomeVault.Core.Disclosure.Requests;

/// <summary>Bounds on what a request may ask for and how big its parts may be.</summary>
public sealed record AccessRequestLimits
{
    public static AccessRequestLimits Default { get; } = new();

    /// <summary>The longest time window one request may cover.</summary>
    public TimeSpan MaxWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Largest accepted request JSON, in bytes.</summary>
    public int MaxJsonBytes { get; init; } = 64 * 1024;

    /// <summary>Largest accepted warrant document (PDF), in bytes.</summary>
    public long MaxDocumentBytes { get; init; } = 20L * 1024 * 1024;

    public int MaxCameras { get; init; } = 64;

    public int MaxOrganizationLength { get; init; } = 200;

    public int MaxContactLength { get; init; } = 254;

    public int MaxReferenceLength { get; init; } = 200;

    public int MaxIssuedByLength { get; init; } = 200;

    public int MaxPurposeLength { get; init; } = 2000;
}
