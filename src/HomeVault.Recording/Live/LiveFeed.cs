using System.Collections.Concurrent;
using HomeVault.Core.Recorder;

namespace HomeVault.Recording.Live;

/// <summary>The recorder's side of Core's <see cref="ILiveFeed"/>: one tap per camera, fed by its ingest runs.</summary>
public sealed class LiveFeed : ILiveFeed
{
    /// <summary>Fragments a viewer may fall behind (a fragment is a GOP, typically 1 to 4 s) before it is dropped.</summary>
    public const int DefaultCapacity = 4;

    private readonly ConcurrentDictionary<string, CameraTap> _taps = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public LiveFeed()
        : this(DefaultCapacity)
    {
    }

    internal LiveFeed(int capacity) => _capacity = capacity;

    public int Subscribers => _taps.Values.Sum(t => t.Count);

    public ILiveSubscription? Subscribe(string camera) => _taps.TryGetValue(camera, out var tap) ? tap.Subscribe() : null;

    /// <summary>Whether <paramref name="camera"/> has ever been recorded by this process.</summary>
    internal bool Has(string camera) => _taps.ContainsKey(camera);

    internal CameraTap Tap(string camera) => _taps.GetOrAdd(camera, c => new CameraTap(c, _capacity));
}
