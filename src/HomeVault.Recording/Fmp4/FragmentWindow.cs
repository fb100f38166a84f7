using System.Numerics;

namespace HomeVault.Recording.Fmp4;

/// <summary>
/// One clip's fragments placed on the wall clock, and those kept rebased so the kept timeline starts at zero: the
/// one helper for cutting clips (<c>ClipCutter</c>), releasing the part of a clip inside a window
/// (<c>ClipReleaser</c>) and exporting it (<c>FootageExporter</c>). The wall-clock time given is that of the first
/// fragment placed (a clip's tfdt may or may not start at zero).
/// </summary>
internal sealed class FragmentWindow(InitSegment init, DateTimeOffset wallAtFirstFragment)
{
    private TimeSpan? _origin;
    private bool _keeping;
    private ulong _keptOrigin;
    private uint _keptScale = 1;

    /// <summary>The wall-clock span of <paramref name="fragment"/>; the first fragment placed fixes the media origin.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Place(Fmp4Fragment fragment)
    {
        _origin ??= fragment.Start;
        return (wallAtFirstFragment + (fragment.Start - _origin.Value), wallAtFirstFragment + (fragment.End - _origin.Value));
    }

    /// <summary>
    /// Rebases <paramref name="fragment"/> (its bytes, in place) so the first fragment kept starts at zero: the same wall-clock shift for every
    /// track, each in its own timescale.
    /// </summary>
    public void Keep(Fmp4Fragment fragment)
    {
        if (!_keeping)
        {
            _keeping = true;
            _keptOrigin = fragment.BaseMediaDecodeTime;
            _keptScale = fragment.Timescale;
        }
        fragment.Rebase(KeptOrigin);
    }

    private ulong KeptOrigin(uint trackId)
    {
        var scale = init.Tracks.FirstOrDefault(t => t.TrackId == trackId)?.Timescale ?? _keptScale;
        return (ulong)((BigInteger)_keptOrigin * scale / _keptScale);
    }
}
