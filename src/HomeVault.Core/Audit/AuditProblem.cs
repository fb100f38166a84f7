namespace HomeVault.Core.Audit;

public enum AuditProblemKind
{
    EntryMissing,
    EntryMalformed,
    EntryTimeMismatch,
    EntryTimeWentBackwards,
    LeafHashMismatch,
    NodeMissing,
    NodeMismatch,
    UnexpectedNode,
    CheckpointMalformed,
    CheckpointSignatureInvalid,
    CheckpointMismatch,
    CheckpointBeyondLog,
    CosignatureInvalid,
    ClipNotLogged,
    ClipRowMissing,
    ClipLeafMismatch,
    ClipFileMissing,
    ClipFileMismatch,
    ClipDeletionNotLogged,
    RunLeafMismatch,
    RunRowMissing,
    GapLeafMismatch,
    GapRowMissing,
}

/// <summary>
/// One inconsistency: what kind, the leaf index it concerns (when it concerns one), a sentence
/// saying what differs, and the expected and found values as text.
/// </summary>
public sealed record AuditProblem(AuditProblemKind Kind, long? EntryIndex, string What, string? Expected = null, string? Found = null)
{
    public override string ToString()
    {
        var where = EntryIndex is { } i ? $"entry {i}: " : "";
        var detail = Expected is null && Found is null ? "" : $" (expected {Expected ?? "-"}, found {Found ?? "-"})";
        return $"{where}{What}{detail}";
    }
}
