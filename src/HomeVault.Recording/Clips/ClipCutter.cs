using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Clips;

/// <summary>
/// Cuts one run's fragments into clips: init segment + consecutive fragments, a new clip at the
/// first fragment that starts at a keyframe at or after <c>clipLength</c> of media time (so every clip
/// plays from its start on its own). Wall-clock times come
/// from the run's first fragment arrival plus media-time offsets, so clips of one run join exactly.
/// </summary>
public sealed class ClipCutter : IAsyncDisposable
{
    private readonly IClipSink _sink;
    private readonly string _camera;
    private readonly long _runId;
    private readonly InitSegment _init;
    private readonly TimeSpan _clipLength;
    private readonly DateTimeOffset _wallAtMediaZero;
    private readonly TimeSpan _runMediaStart;
    private IClipWriter? _writer;
    private TimeSpan _clipMediaStart;
    private FragmentWindow? _clipWindow;

    /// <param name="firstFragmentAt">Wall clock when the run's first fragment arrived.</param>
    /// <param name="firstFragmentStart">That fragment's media start time.</param>
    public ClipCutter(IClipSink sink, string camera, long runId, InitSegment init, TimeSpan clipLength,
        DateTimeOffset firstFragmentAt, TimeSpan firstFragmentStart)
    {
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _camera = camera;
        _runId = runId;
        _init = init ?? throw new ArgumentNullException(nameof(init));
        _clipLength = clipLength;
        _wallAtMediaZero = firstFragmentAt;
        _runMediaStart = firstFragmentStart;
    }

    public int ClipsCompleted { get; private set; }

    /// <summary>Wall-clock end of the last fragment written (null before the first).</summary>
    public DateTimeOffset? LastEnd { get; private set; }

    public DateTimeOffset? FirstStart { get; private set; }

    public DateTimeOffset WallTime(TimeSpan media) => _wallAtMediaZero + (media - _runMediaStart);

    public async ValueTask AddAsync(Fmp4Fragment fragment, CancellationToken ct)
    {
        if (_writer is not null && fragment.StartsWithKeyframe && fragment.Start - _clipMediaStart >= _clipLength)
        {
            await CompleteAsync(ct).ConfigureAwait(false);
        }
        if (_writer is null)
        {
            if (!fragment.StartsWithKeyframe)
            {
                throw new Fmp4Exception("a clip would start at a fragment without a keyframe");
            }
            _clipMediaStart = fragment.Start;
            var start = WallTime(fragment.Start);
            _clipWindow = new FragmentWindow(_init, start);
            FirstStart ??= start;
            _writer = await _sink.BeginClipAsync(_camera, _runId, start, _init.Bytes, ct).ConfigureAwait(false);
        }
        // Each clip's timeline starts at 0: the same wall-clock shift for every track, in its own timescale.
        _clipWindow!.Keep(fragment);
        await _writer.WriteFragmentAsync(fragment.Bytes, fragment.Duration, ct).ConfigureAwait(false);
        LastEnd = WallTime(fragment.End);
    }

    /// <summary>Seals the open clip, if any (end of run: everything written is whole fragments).</summary>
    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        if (_writer is not { } w)
        {
            return;
        }
        _writer = null;
        try
        {
            await w.CompleteAsync(LastEnd!.Value, ct).ConfigureAwait(false);
            ClipsCompleted++;
        }
        finally
        {
            await w.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Aborts an open clip (dispose without complete).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_writer is { } w)
        {
            _writer = null;
            await w.DisposeAsync().ConfigureAwait(false);
        }
    }
}
