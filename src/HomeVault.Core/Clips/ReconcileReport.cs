namespace HomeVault.Core.Clips;

/// <summary>What start-up reconciliation found and did.</summary>
public sealed record ReconcileReport(
    IReadOnlyList<Catalog.Clip> TruncatedClips,
    IReadOnlyList<string> MissingFiles,
    IReadOnlyList<string> OrphanFiles,
    int RunsClosed);
