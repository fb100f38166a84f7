namespace HomeVault.Core.Clips;

/// <summary>
/// How long and how much footage to keep. Per-camera days override the global days. With
/// <paramref name="UntilReplicated"/> (a replica is configured) a sealed clip the bucket does not hold yet is kept
/// past its days and the disk budget; only low free space (disk pressure) deletes it.
/// </summary>
public sealed record RetentionRules(
    int Days,
    long MaxBytes,
    long MinFreeBytes,
    IReadOnlyDictionary<string, int>? CameraDays = null,
    bool UntilReplicated = false)
{
    public int DaysFor(string camera) => CameraDays is not null && CameraDays.TryGetValue(camera, out var d) ? d : Days;
}
