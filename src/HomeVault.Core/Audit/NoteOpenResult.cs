namespace HomeVault.Core.Audit;

/// <summary>
/// The outcome of opening a signed note. <see cref="Ok"/> means well-formed, at least one known key
/// signed it, and every signature by a known key is valid. Signatures by unknown keys are listed
/// in <see cref="Unverified"/> and otherwise ignored.
/// </summary>
public sealed class NoteOpenResult
{
    internal NoteOpenResult(string? text, IReadOnlyList<NoteSignature> verified, IReadOnlyList<NoteSignature> unverified, string? error)
    {
        Text = text;
        Verified = verified;
        Unverified = unverified;
        Error = error;
    }

    public bool Ok => Error is null;

    /// <summary>The signed text (ending in a newline), when the note is well-formed.</summary>
    public string? Text { get; }

    public IReadOnlyList<NoteSignature> Verified { get; }

    public IReadOnlyList<NoteSignature> Unverified { get; }

    /// <summary>Why the note was rejected; null when <see cref="Ok"/>.</summary>
    public string? Error { get; }
}
