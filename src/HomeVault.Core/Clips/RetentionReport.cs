namespace HomeVault.Core.Clips;

/// <summary>What one retention sweep deleted and what it had to keep.</summary>
public sealed record RetentionReport(
    IReadOnlyList<Catalog.Clip> Deleted,
    long BytesFreed,
    int HeldClipsKept,
    bool BudgetMet);
