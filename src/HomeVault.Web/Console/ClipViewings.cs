using System.Runtime.CompilerServices;

namespace HomeVault.Web.Console;

/// <summary>
/// Which clips each unlocked session is watching, so that one viewing is one <c>clip.viewed</c> audit entry.
/// A browser fetches a clip in many requests (its first probe, a range per seek, a re-fetch on replay), and
/// neither "the request without Range" nor "the range from 0" marks a viewing reliably: Chromium always sends a
/// Range and asks for byte 0 again on replay. So a viewing is this session's requests for this clip while they keep
/// coming: it starts with the first request and lasts until the clip has not been asked for in <see cref="Idle"/>.
/// What the log must answer (who watched which clip, and when they started) is answered by that first request;
/// the same owner coming back to the clip after a pause is a new viewing and logged again. Kept in memory beside the
/// session (a weak table): locking or expiry drops the session and its viewings with it.
/// </summary>
internal static class ClipViewings
{
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private static readonly ConditionalWeakTable<ConsoleSession, Dictionary<long, DateTimeOffset>> Watching = [];

    /// <summary>Notes a request for <paramref name="clip"/>; true when it starts a new viewing (the one to audit).</summary>
    public static bool Starts(ConsoleSession session, long clip, DateTimeOffset now)
    {
        var clips = Watching.GetOrCreateValue(session);
        lock (clips)
        {
            var starts = !clips.TryGetValue(clip, out var last) || now - last >= Idle;
            clips[clip] = now;
            return starts;
        }
    }
}
