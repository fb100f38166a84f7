
namespace HomeVault.Core.Disclosure.Requests;

/// <summary>A request as recorded: the validated request, its digest and where it stands.</summary>
public sealed record StoredRequest(
    string Id,
    RequestState State,
    DateTimeOffset Received,
    DateTimeOffset Updated,
    AccessRequest Request,
    string CanonicalJson,
    string Digest,
    RequestDocument? Document,
    ApprovedScope? Approved)
{
    public bool IsPreservation => Request.LegalBasis.Type == LegalBasisType.Preservation;
}

/// <summary>The warrant document: SHA-256 (hex) of the plaintext PDF, its size, and where its age file is (as given by the caller).</summary>
public sealed record RequestDocument(string Sha256, long Bytes, string Path);

/// <summary>What the owners approved: the scope, audio handling and how long a release stays valid, plus the statement's SHA-256.</summary>
public sealed record ApprovedScope(
    IReadOnlyList<string> Cameras,
    DateTimeOffset From,
    DateTimeOffset To,
    bool StripAudio,
    DateTimeOffset ReleaseExpires,
    string StatementSha256);

/// <summary>One state change, for audit entries: who moved which request (digest, requested scope) from what to what, and why.</summary>
public sealed record RequestTransition(string RequestId, string Digest, RequestScope Scope, RequestState From, RequestState To, string? Owner, string? Reason, DateTimeOffset At);
