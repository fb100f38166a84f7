using HomeVault.Core.Warrants;

namespace HomeVault.Recording.Releases;

/// <summary>
/// What one owner's approval did: where the signed statement is, how many distinct owners have signed it against
/// the quorum, the request's state, and the release when this signature completed the quorum of a non-preservation request.
/// </summary>
public sealed record ApproveOutcome(
    string RequestId,
    string Owner,
    string StatementPath,
    string SignaturePath,
    string StatementSha256,
    bool AlreadySigned,
    int DistinctSigners,
    int Quorum,
    RequestState State,
    ReleaseInfo? Release)
{
    public bool QuorumReached => DistinctSigners >= Quorum;
}
