using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Support;

/// <summary>
/// One release built once for a test class: two consecutive clips of "front" from 20:10 (the sample, six fragments
/// each), approved from 2.5 s into the first to 9.5 s after its start (a fragment short of the second's end), audio
/// stripped. Whole fragments inside the window: the last three of the first clip and the first three of the second.
/// </summary>
public sealed class BuiltRelease : IAsyncLifetime
{
    internal ReleaseFootage Footage { get; } = new();

    internal IReadOnlyList<Clip> Clips { get; private set; } = [];

    /// <summary>Where the sample's fragments start on a clip's timeline (see <see cref="SealedFootage.BoundariesAsync"/>).</summary>
    internal TimeSpan[] Boundaries { get; private set; } = [];

    internal ReleaseInfo Release { get; private set; } = null!;

    internal DateTimeOffset From => Clips[0].Start.AddSeconds(2.5);

    internal DateTimeOffset To => Clips[0].Start.AddSeconds(9.5);

    public async ValueTask InitializeAsync()
    {
        Boundaries = await SealedFootage.BoundariesAsync();
        var first = await Footage.RecordAsync("front", DisclosureHome.Evening.AddMinutes(10));
        var second = await Footage.RecordAsync("front", first.End);
        Clips = [first, second];
        var request = Footage.Home.Submit("front");
        Release = Footage.Approve(request, From, To, stripAudio: true).Release ?? throw new InvalidOperationException("the approval built no release");
    }

    public ValueTask DisposeAsync()
    {
        Footage.Dispose();
        return ValueTask.CompletedTask;
    }
}
