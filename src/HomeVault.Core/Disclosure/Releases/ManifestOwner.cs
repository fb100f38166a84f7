namespace HomeVault.Core.Disclosure.Releases;

/// <summary>An owner of the installation at build time: name and minisign public key (base64 line).</summary>
public sealed record ManifestOwner(string Name, string MinisignPublicKey);
