namespace HomeVault.Recording.Clips;

/// <summary>The recorder's disk, as the camera supervisors need it when a write finds it full.</summary>
public interface IStorageSpace
{
    /// <summary>Whether <paramref name="exception"/> (or an inner one) says the disk or the catalog is full.</summary>
    bool IsFull(Exception exception);

    /// <summary>Frees space by the retention rules (audited, oldest footage not on hold first); true when there is room to record.</summary>
    bool TryMakeRoom();

    /// <summary>Why recording cannot go on, while it cannot (e.g. every clip left is on legal hold); null otherwise.</summary>
    string? Problem { get; }
}
