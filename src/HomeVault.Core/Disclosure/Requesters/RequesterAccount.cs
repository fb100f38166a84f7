namespace HomeVault.Core.Disclosure.Requesters;

/// <summary>A party allowed to submit access requests over HTTP, bound to the age recipient its footage would go to.</summary>
public sealed record RequesterAccount(long Id, string Name, string Recipient, DateTimeOffset Created, DateTimeOffset? Revoked)
{
    public bool IsActive => Revoked is null;
}
