namespace HomeVault.Core.Clips;

/// <summary>What one retention sweep deleted and what it had to keep: clips on legal hold, and clips past their time waiting for the replica.</summary>
public sealed record RetentionReport(
    IReadOnlyList<Catalog.Clip> Deleted,
    long BytesFreed,
    int HeldClipsKept,
    bool BudgetMet,
    int WaitingForReplica = 0);
