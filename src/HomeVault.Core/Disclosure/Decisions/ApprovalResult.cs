using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Disclosure.Decisions;

/// <summary>
/// The outcome of recording one owner's signature: whether it was new, how many distinct active owners have
/// signed this exact statement against the quorum, and the transition when the quorum was reached.
/// </summary>
public sealed record ApprovalResult(
    string RequestId,
    string RequestDigest,
    string Owner,
    string StatementSha256,
    bool AlreadySigned,
    int DistinctSigners,
    int Quorum,
    RequestState State,
    ApprovedScope? Approved,
    RequestTransition? Transition)
{
    public bool QuorumReached => DistinctSigners >= Quorum;
}

/// <summary>A stored owner signature over an approval statement.</summary>
public sealed record ApprovalRecord(string RequestId, string Owner, string Statement, string StatementSha256, string Signature, DateTimeOffset SignedAt);
