namespace HomeVault.Core.Audit;

/// <summary>One signature line of a signed note: key name, key hash and the base64 of hash || signature.</summary>
public sealed record NoteSignature(string Name, uint KeyHash, string Base64)
{
    /// <summary>The line as it appears in the note, with the em dash and without the newline.</summary>
    public string Line => $"\u2014 {Name} {Base64}";
}
