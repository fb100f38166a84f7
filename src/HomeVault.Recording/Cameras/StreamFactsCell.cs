using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// What ffmpeg has told about a camera's streams (codecs), kept across runs so the next run starts with
/// matching arguments. Written from ffmpeg's stderr thread, read from the recording thread.
/// </summary>
internal sealed class StreamFactsCell
{
    private StreamFacts _facts = new(null, null);

    public StreamFacts Value => Volatile.Read(ref _facts);

    public void Learn(string stderrLine)
    {
        var before = Value;
        var after = IngestCommand.Learn(before, stderrLine);
        if (after != before)
        {
            Volatile.Write(ref _facts, after);
        }
    }
}
