namespace HomeVault.Recording.Clips;

/// <summary>
/// Runs (one per camera connection that delivered footage) and gaps (every stretch without footage, with
/// its cause). Attempts that deliver nothing are no runs: they are counted in the gap they fall in.
/// </summary>
public interface IRecordingJournal
{
    /// <summary>A connection of <paramref name="camera"/> that began at <paramref name="at"/> delivered its first footage; returns the run id clips refer to.</summary>
    long RunStarted(string camera, DateTimeOffset at);

    /// <summary><paramref name="reason"/>: eof, stall, cancelled, exit N: last stderr line (scrubbed), sink error: ..., etc.</summary>
    void RunEnded(long runId, DateTimeOffset at, string reason);

    /// <summary>Footage stopped at <paramref name="from"/>: an open gap, closed by <see cref="GapClosed"/> or, after a crash, by the next start.</summary>
    long GapOpened(string camera, DateTimeOffset from, string cause);

    /// <summary>
    /// The gap from <paramref name="from"/> ended at <paramref name="until"/> with its final cause. <paramref name="gapId"/>
    /// is the open gap's id, or null to record a gap that was never opened. A gap that ended where it began is dropped.
    /// </summary>
    void GapClosed(long? gapId, string camera, DateTimeOffset from, DateTimeOffset until, string cause);
}
