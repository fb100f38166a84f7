using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.Live;

/// <summary>
/// Where one camera's fragments pass on their way to the clip cutter. With no subscriber, <see cref="Publish"/> is a
/// count check and nothing more; with some, each fragment is copied once and offered to every subscriber without
/// waiting: one whose buffer is full is dropped, and one that has just joined skips fragments up to the next keyframe.
/// Nothing here ever blocks the recording loop.
/// </summary>
internal sealed class CameraTap(string camera, int capacity)
{
    private readonly Lock _gate = new();
    private LiveSubscription[] _subscribers = [];
    private int _count;
    private InitSegment? _init;
    private string? _contentType;

    public string Camera { get; } = camera;

    public int Count => Volatile.Read(ref _count);

    /// <summary>A run's first fragment is on its way: viewers may join from its init segment.</summary>
    public void Begin(InitSegment init)
    {
        lock (_gate)
        {
            (_init, _contentType) = (init, null);
        }
    }

    /// <summary>One fragment (its bytes are only valid during the call), before the cutter rebases it into a clip.</summary>
    /// <param name="keyframe">Whether it starts at a keyframe: a viewer's first fragment must.</param>
    public void Publish(ReadOnlyMemory<byte> fragment, bool keyframe)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }
        ReadOnlyMemory<byte> copy = fragment.ToArray();
        foreach (var s in Volatile.Read(ref _subscribers))
        {
            if (!s.Offer(copy, keyframe))
            {
                Remove(s);
            }
        }
    }

    /// <summary>The run ended: every viewer's feed ends with it (they may subscribe to the next run).</summary>
    public void End()
    {
        LiveSubscription[] ended;
        lock (_gate)
        {
            (_init, _contentType) = (null, null);
            ended = _subscribers;
            _subscribers = [];
            Volatile.Write(ref _count, 0);
        }
        foreach (var s in ended)
        {
            s.Complete();
        }
    }

    public LiveSubscription? Subscribe()
    {
        lock (_gate)
        {
            if (_init is not { } init)
            {
                return null;
            }
            _contentType ??= CodecString.ContentType(init);
            var s = new LiveSubscription(this, init.Bytes, _contentType, capacity);
            _subscribers = [.. _subscribers, s];
            Volatile.Write(ref _count, _subscribers.Length);
            return s;
        }
    }

    public void Remove(LiveSubscription subscription)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_subscribers, subscription) < 0)
            {
                return;
            }
            _subscribers = _subscribers.Where(s => s != subscription).ToArray();
            Volatile.Write(ref _count, _subscribers.Length);
        }
        subscription.Complete();
    }
}
