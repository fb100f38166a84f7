using System.Threading.Channels;
using HomeVault.Core.Recorder;

namespace HomeVault.Recording.Live;

/// <summary>
/// One viewer of one camera: a bounded buffer of whole fragments, filled without waiting by the camera's tap, from the
/// first fragment that starts at a keyframe after it joined (the ones before cannot be decoded without what it missed).
/// </summary>
internal sealed class LiveSubscription(CameraTap tap, ReadOnlyMemory<byte> init, string contentType, int capacity) : ILiveSubscription
{
    private readonly Channel<ReadOnlyMemory<byte>> _fragments = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private volatile bool _dropped;
    private bool _started;

    public string Camera => tap.Camera;

    public string ContentType { get; } = contentType;

    public ReadOnlyMemory<byte> Init { get; } = init;

    public ChannelReader<ReadOnlyMemory<byte>> Fragments => _fragments.Reader;

    public bool Dropped => _dropped;

    /// <summary>False when the buffer is full: the viewer has fallen behind and is to be dropped. Called by the tap only, one fragment at a time.</summary>
    internal bool Offer(ReadOnlyMemory<byte> fragment, bool keyframe)
    {
        _started |= keyframe;
        if (!_started || _fragments.Writer.TryWrite(fragment))
        {
            return true;
        }
        _dropped = true;
        return false;
    }

    internal void Complete() => _fragments.Writer.TryComplete();

    public void Dispose() => tap.Remove(this);
}
