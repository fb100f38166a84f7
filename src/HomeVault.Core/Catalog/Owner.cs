namespace HomeVault.Core.Catalog;

/// <summary>A household member whose keys every clip is sealed to.</summary>
public sealed record Owner(long Id, string Name, string AgeRecipient, string MinisignPublicKey, DateTimeOffset Created, DateTimeOffset? Removed);
