namespace HomeVault.Bench;

/// <summary>One side of a recording run (bare ffmpeg or HomeVault): CPU, memory, what was stored and recorded.</summary>
internal sealed class RunResult
{
    public double CpuSeconds;

    /// <summary>CPU of the whole tree between <see cref="SteadyFrom"/> and <see cref="SteadyTo"/> seconds into the run (start-up and shutdown excluded); NaN for short runs.</summary>
    public double SteadyCpuSeconds = double.NaN;
    public double SteadyServiceSeconds = double.NaN;
    public double SteadyFrom;
    public double SteadyTo;
    public double CpuPercent;
    public double SampledCpuSeconds;
    public double WallSeconds;
    public long FfmpegMaxHwmKb;
    public long FfmpegSumHwmKb;
    public long Bytes;
    public List<double> PerCamera = [];
    public List<int> PerCameraCount = [];
    public int Clips;
    public double CamsimCpuSeconds;

    // bare ffmpeg: segments ffprobe could not read
    public int Unreadable;

    // HomeVault only: the service process, the catalog's clip states and the status file
    public double ServiceCpuSeconds;
    public long ServiceHwmKb;
    public int Complete;
    public int Truncated;
    public int OtherStates;
    public double MaxGap;
    public int MaxRuns;
    public double StartupSeconds;
    public bool AllRecording;
    public string StatusSummary = "no status file read";
    public Dictionary<string, string> StatusByCamera = [];

    /// <summary>status/replica.json as the run left it (empty without a Replica section).</summary>
    public string ReplicaStatus = "";

    public double MediaMin => PerCamera.Min();
    public double MediaMax => PerCamera.Max();
    public double MediaSum => PerCamera.Sum();
}
