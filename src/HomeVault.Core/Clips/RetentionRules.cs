namespace HomeVault.Core.Clips;

/// <summary>How long and how much footage to keep. Per-camera days override the global days.</summary>
public sealed record RetentionRules(
    int Days,
    long MaxBytes,
    long MinFreeBytes,
    IReadOnlyDictionary<string, int>? CameraDays = null)
{
    public int DaysFor(string camera) => CameraDays is not null && CameraDays.TryGetValue(camera, out var d) ? d : Days;
}
