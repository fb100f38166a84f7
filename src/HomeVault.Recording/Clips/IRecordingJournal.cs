namespace HomeVault.Recording.Clips;

/// <summary>Runs (one per ffmpeg connection attempt) and the gaps between recorded footage.</summary>
public interface IRecordingJournal
{
    /// <summary>An ffmpeg process was started for <paramref name="camera"/>; returns the run id clips refer to.</summary>
    long RunStarted(string camera, DateTimeOffset at);

    /// <summary><paramref name="reason"/>: eof, stall, cancelled, exit N: last stderr line (scrubbed), sink error: ..., etc.</summary>
    void RunEnded(long runId, DateTimeOffset at, string reason);

    /// <summary>No footage between <paramref name="from"/> (end of the last clip) and <paramref name="until"/> (start of the next).</summary>
    void Gap(string camera, DateTimeOffset from, DateTimeOffset until, string cause);
}
