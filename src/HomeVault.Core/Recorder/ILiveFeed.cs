using System.Threading.Channels;

namespace HomeVault.Core.Recorder;

/// <summary>
/// The recorder's fragments as they pass on their way to the sealed clips, for a live view: subscribing to a camera
/// gives its init segment, then each fragment as it arrives, the first at a keyframe. Nothing is written anywhere;
/// with no subscriber the recorder does no extra work. A subscriber that falls behind is dropped, never waited for.
/// </summary>
public interface ILiveFeed
{
    /// <summary>Live subscriptions open now, over every camera.</summary>
    int Subscribers { get; }

    /// <summary>Subscribes to <paramref name="camera"/>; null while it delivers no footage (unknown, connecting, down).</summary>
    ILiveSubscription? Subscribe(string camera);
}

/// <summary>One viewer's feed of one camera. Disposing it unsubscribes.</summary>
public interface ILiveSubscription : IDisposable
{
    string Camera { get; }

    /// <summary>The MIME type with codecs, as Media Source Extensions want it: <c>video/mp4; codecs="avc1.64001e"</c>.</summary>
    string ContentType { get; }

    /// <summary>ftyp + moov of the camera's current run.</summary>
    ReadOnlyMemory<byte> Init { get; }

    /// <summary>Fragments (moof + mdat), the first starting at a keyframe; completes when the run ends or the viewer fell behind.</summary>
    ChannelReader<ReadOnlyMemory<byte>> Fragments { get; }

    /// <summary>Set when the feed was ended because this viewer fell too far behind.</summary>
    bool Dropped { get; }
}
