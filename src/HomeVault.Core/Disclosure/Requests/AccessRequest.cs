
namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// A validated, normalised access request: every time is UTC, the recipient is in canonical lower-case
/// Bech32, cameras are sorted. Only <see cref="AccessRequestValidator"/> builds one from outside input.
/// </summary>
public sealed record AccessRequest(Requester Requester, LegalBasis LegalBasis, RequestScope Scope, string Purpose)
{
    /// <summary>The canonical JSON (see <see cref="AccessRequestJson"/>), UTF-8.</summary>
    public byte[] ToCanonicalJson() => AccessRequestJson.Serialize(this);

    /// <summary>Lower-case hex SHA-256 of <see cref="ToCanonicalJson"/>: the request digest.</summary>
    public string Digest() => AccessRequestJson.Digest(this);
}

/// <summary>Who asks, and the age recipient a release would be encrypted to.</summary>
public sealed record Requester(string Organization, string Contact, string Recipient);

/// <summary>Why they may ask. Dates are calendar dates as written on the document.</summary>
public sealed record LegalBasis(LegalBasisType Type, string? Reference, string? IssuedBy, DateOnly? IssuedOn, DateOnly? ExpiresOn);

/// <summary>What footage: cameras (sorted, distinct) and the half-open UTC window [From, To).</summary>
public sealed record RequestScope(IReadOnlyList<string> Cameras, DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To - From;

    public bool Equals(RequestScope? other) =>
        other is not null && From == other.From && To == other.To && Cameras.SequenceEqual(other.Cameras, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(From, To, Cameras.Count);
}
