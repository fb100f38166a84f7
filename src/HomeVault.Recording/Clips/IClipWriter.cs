namespace HomeVault.Recording.Clips;

/// <summary>
/// One clip being written. Disposing without <see cref="CompleteAsync"/> means the clip was
/// aborted (the sink keeps it as truncated or drops it; its choice).
/// </summary>
public interface IClipWriter : IAsyncDisposable
{
    /// <summary>Appends one fragment (moof + mdat). <paramref name="fragment"/> is only valid during the call.</summary>
    ValueTask WriteFragmentAsync(ReadOnlyMemory<byte> fragment, TimeSpan mediaDuration, CancellationToken ct);

    /// <summary>Seals the clip; <paramref name="clipEnd"/> is the wall-clock end of its last fragment.</summary>
    ValueTask CompleteAsync(DateTimeOffset clipEnd, CancellationToken ct);
}
