namespace HomeVault.Core.Vault;

/// <summary>What <see cref="Age.Salvage"/> recovered from a possibly damaged file.</summary>
/// <param name="BytesRecovered">Plaintext bytes written out; all of them authenticated.</param>
/// <param name="ChunksRecovered">Payload chunks that authenticated.</param>
/// <param name="Complete">True when the file was intact (final chunk present, nothing after it).</param>
/// <param name="Failure">Why recovery stopped, when <paramref name="Complete"/> is false.</param>
/// <param name="Message">One-line description of <paramref name="Failure"/>, safe to log.</param>
public sealed record SalvageResult(long BytesRecovered, long ChunksRecovered, bool Complete, AgeErrorKind? Failure, string? Message);
