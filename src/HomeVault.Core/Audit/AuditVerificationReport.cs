namespace HomeVault.Core.Audit;

/// <summary>The result of `homevault audit verify`: the first inconsistency, or what was checked.</summary>
public sealed class AuditVerificationReport
{
    internal AuditVerificationReport(AuditProblem? firstProblem, AuditVerificationCounts counts, TimeSpan elapsed, IReadOnlyList<string> unknownClipFiles)
    {
        FirstProblem = firstProblem;
        Counts = counts;
        Elapsed = elapsed;
        UnknownClipFiles = unknownClipFiles;
    }

    /// <summary>The log and every catalog row and clip file it records agree (<see cref="UnknownClipFiles"/> aside).</summary>
    public bool Ok => FirstProblem is null;

    /// <summary>The first inconsistency in log order (entries, their subtrees and checkpoints, then clips, runs and gaps); null when none.</summary>
    public AuditProblem? FirstProblem { get; }

    /// <summary>
    /// Files under clips/ that no catalog row names (data-directory-relative, sorted): not an inconsistency of the
    /// record, since nothing in the log or the catalog claims them, but tied to no leaf either. A crash between a clip
    /// file's creation and its first catalog row leaves one (start-up reconciliation reports it as an orphan and leaves
    /// it in place); so does a file put there by hand. HomeVault cannot tell the two apart and deletes neither.
    /// </summary>
    public IReadOnlyList<string> UnknownClipFiles { get; }

    public AuditVerificationCounts Counts { get; }

    public TimeSpan Elapsed { get; }

    public override string ToString() => !Ok
        ? $"audit log INCONSISTENT: {FirstProblem}"
        : $"audit log OK: {Counts.Entries} entries, {Counts.Nodes} subtree hashes, {Counts.Checkpoints} checkpoints ({Counts.Cosignatures} co-signatures), {Counts.Clips} clips, {Counts.ClipFilesHashed} clip files hashed, {Counts.Runs} runs, {Counts.Gaps} gaps"
            + (UnknownClipFiles.Count == 0 ? "" : "; " + UnknownFilesText());

    /// <summary>One line naming the files under clips/ that the catalog does not know (the first few of them).</summary>
    public string UnknownFilesText()
    {
        const int Shown = 3;
        var more = UnknownClipFiles.Count > Shown ? $" and {UnknownClipFiles.Count - Shown} more" : "";
        return $"{UnknownClipFiles.Count} file(s) under clips/ not in the catalog (left by a crash before their first catalog row, or put there by hand; never deleted by HomeVault): "
            + string.Join(", ", UnknownClipFiles.Take(Shown)) + more;
    }
}

/// <summary>How much a verification covered (up to the first problem when there was one).</summary>
public sealed record AuditVerificationCounts(long Entries, long Nodes, int Checkpoints, int Cosignatures, int Clips, int ClipFilesHashed, int Runs, int Gaps);
