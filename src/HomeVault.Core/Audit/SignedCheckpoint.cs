namespace HomeVault.Core.Audit;

/// <summary>A checkpoint as a complete signed note (log signature plus any co-signatures).</summary>
public sealed class SignedCheckpoint
{
    internal SignedCheckpoint(long id, long createdMs, Checkpoint checkpoint, string note)
    {
        Id = id;
        CreatedMs = createdMs;
        Checkpoint = checkpoint;
        Note = note;
    }

    /// <summary>The row id in audit_checkpoints; 0 for a checkpoint parsed from outside.</summary>
    public long Id { get; }

    public long CreatedMs { get; }

    public DateTimeOffset Created => DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs);

    public Checkpoint Checkpoint { get; }

    public long Size => Checkpoint.Size;

    /// <summary>The full signed note text, as published.</summary>
    public string Note { get; }

    public override string ToString() => Note;

    /// <summary>
    /// Opens <paramref name="note"/> as a checkpoint that <paramref name="log"/> must have signed
    /// (other known keys may co-sign). Returns null with a reason when it does not verify.
    /// </summary>
    public static SignedCheckpoint? TryOpen(string note, NoteVerifier log, IEnumerable<NoteVerifier>? cosigners, out string? error)
    {
        ArgumentNullException.ThrowIfNull(log);
        var opened = SignedNote.Open(note, cosigners is null ? [log] : cosigners.Prepend(log));
        if (!opened.Ok)
        {
            error = opened.Error;
            return null;
        }
        if (!opened.Verified.Any(s => s.Name == log.Name && s.KeyHash == log.KeyHash))
        {
            error = $"checkpoint is not signed by the log key {log.Name}";
            return null;
        }
        var checkpoint = Checkpoint.TryParse(opened.Text);
        if (checkpoint is null)
        {
            error = "signed note is not a tlog checkpoint";
            return null;
        }
        error = null;
        return new SignedCheckpoint(0, 0, checkpoint, note);
    }
}
