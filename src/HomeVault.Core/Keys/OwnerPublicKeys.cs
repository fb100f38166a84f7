namespace HomeVault.Core.Keys;

/// <summary>What may be shown about an owner's keys: the age recipient and the minisign public key.</summary>
public sealed record OwnerPublicKeys(string Owner, string AgeRecipient, string MinisignPublicKey, string MinisignPublicKeyFile);
