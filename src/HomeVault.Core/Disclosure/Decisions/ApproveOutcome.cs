using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Disclosure.Decisions;

/// <summary>
/// What one owner's approval did: where the signed statement is, how many distinct owners have signed it against
/// the quorum, the request's state, and the release when this signature completed the quorum of a non-preservation request
/// (or, when this owner could not open the footage, why it was not built: an owner who signed and can open it builds it
/// by approving again).
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
    ReleaseInfo? Release,
    string? ReleaseNotBuilt = null)
{
    public bool QuorumReached => DistinctSigners >= Quorum;
}
