using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Signing;
using HomeVault.Recording.ReleasedClips;
using HomeVault.Recording.Storage;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>
/// Footage for releases: a <see cref="DisclosureHome"/> whose clips the production sink sealed from ffmpeg-made fMP4,
/// released by Core's disclosure service through the real media side (Recording's ReleaseMedia and ffmpeg).
/// </summary>
internal sealed class ReleaseFootage : IDisposable
{
    public ReleaseFootage()
    {
        Sink = new SealedClipSink(Home.Store);
    }

    internal DisclosureHome Home { get; } = new();

    internal SealedClipSink Sink { get; }

    /// <summary>Records one 6 s clip of camera <paramref name="camera"/> (six 1 s fragments with audio) from <paramref name="start"/>.</summary>
    internal Task<Clip> RecordAsync(string camera, DateTimeOffset start) => SealedFootage.RecordAsync(Sink, Home.Db, camera, start);

    /// <summary>owner1 approves [from, to) of the request with the real media side.</summary>
    internal ApproveOutcome Approve(StoredRequest request, DateTimeOffset from, DateTimeOffset to, bool stripAudio)
    {
        using var service = Home.Service(new ReleaseMedia());
        return service.Approve(new ApproveCommand(request.Id, "owner1", null, from, to, stripAudio, null, null), DisclosureHome.Pass, TestContext.Current.CancellationToken);
    }

    internal MinisignPublicKey OwnerKey => Home.OwnerKey("owner1");

    public void Dispose() => Home.Dispose();
}
