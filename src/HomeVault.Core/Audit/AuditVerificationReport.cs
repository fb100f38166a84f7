namespace HomeVault.Core.Audit;

/// <summary>The result of `homevault audit verify`: the first inconsistency, or what was checked.</summary>
public sealed class AuditVerificationReport
{
    internal AuditVerificationReport(AuditProblem? firstProblem, AuditVerificationCounts counts, TimeSpan elapsed)
    {
        FirstProblem = firstProblem;
        Counts = counts;
        Elapsed = elapsed;
    }

    public bool Ok => FirstProblem is null;

    /// <summary>The first inconsistency in log order (entries, their subtrees and checkpoints, then clips); null when none.</summary>
    public AuditProblem? FirstProblem { get; }

    public AuditVerificationCounts Counts { get; }

    public TimeSpan Elapsed { get; }

    public override string ToString() => Ok
        ? $"audit log OK: {Counts.Entries} entries, {Counts.Nodes} subtree hashes, {Counts.Checkpoints} checkpoints ({Counts.Cosignatures} co-signatures), {Counts.Clips} clips, {Counts.ClipFilesHashed} clip files hashed"
        : $"audit log INCONSISTENT: {FirstProblem}";
}

/// <summary>How much a verification covered (up to the first problem when there was one).</summary>
public sealed record AuditVerificationCounts(long Entries, long Nodes, int Checkpoints, int Cosignatures, int Clips, int ClipFilesHashed);
