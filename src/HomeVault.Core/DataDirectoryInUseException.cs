namespace HomeVault.Core;

/// <summary>Another process holds the data directory's lock: a recorder (serve or demo) already runs on it.</summary>
public sealed class DataDirectoryInUseException : UserError
{
    public DataDirectoryInUseException()
    {
    }

    public DataDirectoryInUseException(string message) : base(message)
    {
    }

    public DataDirectoryInUseException(string message, Exception inner) : base(message, inner)
    {
    }

    public DataDirectoryInUseException(string root, int? holderPid)
        : base($"{root} is in use by another HomeVault recorder ({(holderPid is { } pid ? $"PID {pid}" : "PID unknown")}); one recorder per data directory")
    {
        HolderPid = holderPid;
    }

    /// <summary>The PID the holder wrote into the lock file, when it could be read.</summary>
    public int? HolderPid { get; }
}
