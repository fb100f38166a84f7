namespace HomeVault.Core.Catalog;

/// <summary>
/// What the last progress row of a clip being written said beyond its durable end and bytes (migration 0006):
/// the fragments not yet inside fsynced chunks, the whole clip's plaintext length once its final chunk was being
/// written, and the boot in which the clip was begun.
/// </summary>
public sealed record OpenClipProgress(string? PendingFragments, long? FinalPlaintext, string? BootId);
