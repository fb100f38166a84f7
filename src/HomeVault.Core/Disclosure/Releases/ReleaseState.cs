namespace HomeVault.Core.Disclosure.Releases;

/// <summary>A release is active until it is revoked or expires; either way its files are deleted and its row kept.</summary>
public enum ReleaseState
{
    Active,
    Revoked,
    Expired,
}
