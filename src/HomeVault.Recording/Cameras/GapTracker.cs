using HomeVault.Recording.Clips;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Cameras;

/// <summary>
/// Accounts for every second of one camera that has no footage. From the moment the supervisor starts to
/// the moment it stops, the camera is either recording or inside exactly one open gap: the gap opens when
/// the supervisor starts or footage ends, and closes where footage resumes or the supervisor stops. The
/// open gap is a catalog row at once (so a crash leaves it for the next start to close), but an audit leaf
/// only when it closes, with its cause and the attempts that failed meanwhile: a camera that stays down
/// adds one leaf however often it is retried. A journal that cannot write (a full disk) does not lose a
/// gap: it is kept and written with the next change.
/// </summary>
internal sealed class GapTracker(string camera, IRecordingJournal journal, ILogger logger)
{
    /// <summary>The cause of each camera's first gap: from the recorder's start to the first fragment.</summary>
    public const string StartCause = "recorder starting";

    private readonly List<(DateTimeOffset From, DateTimeOffset Until, string Cause)> _unwritten = [];
    private DateTimeOffset? _from;
    private string _cause = "";
    private long? _id;
    private int _failedAttempts;
    private string? _lastFailure;

    /// <summary>The open gap's start and cause so far, or null while recording.</summary>
    public (DateTimeOffset Since, string Cause, int FailedAttempts)? Open =>
        _from is { } from ? (from, CauseSoFar(), _failedAttempts) : null;

    /// <summary>Footage stopped (or none yet) at <paramref name="from"/> because of <paramref name="cause"/>.</summary>
    public void Begin(DateTimeOffset from, string cause)
    {
        if (_from is not null)
        {
            return; // already in a gap: it keeps its start and first cause
        }
        _from = from;
        _cause = cause;
        _failedAttempts = 0;
        _lastFailure = null;
        WriteUnwritten();
        try
        {
            _id = journal.GapOpened(camera, from, cause);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _id = null; // written whole when it closes
            Log.JournalFailed(logger, camera, e.Message);
        }
    }

    /// <summary>An attempt during the gap delivered nothing.</summary>
    public void AttemptFailed(string reason)
    {
        _failedAttempts++;
        _lastFailure = reason;
    }

    /// <summary>Footage resumed (or the supervisor stopped) at <paramref name="until"/>.</summary>
    public void End(DateTimeOffset until)
    {
        if (_from is not { } from)
        {
            return;
        }
        var cause = CauseSoFar();
        var id = _id;
        _from = null;
        _id = null;
        if (until > from)
        {
            Log.Gap(logger, camera, from, until, cause);
        }
        try
        {
            journal.GapClosed(id, camera, from, until, cause);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.JournalFailed(logger, camera, e.Message);
            if (until > from)
            {
                _unwritten.Add((from, until, cause));
            }
        }
    }

    private string CauseSoFar() =>
        _failedAttempts == 0 ? _cause : $"{_cause}; then {_failedAttempts} failed attempt(s), last: {_lastFailure}";

    private void WriteUnwritten()
    {
        while (_unwritten.Count > 0)
        {
            var (from, until, cause) = _unwritten[0];
            try
            {
                journal.GapClosed(null, camera, from, until, cause);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.JournalFailed(logger, camera, e.Message);
                return;
            }
            _unwritten.RemoveAt(0);
        }
    }
}
