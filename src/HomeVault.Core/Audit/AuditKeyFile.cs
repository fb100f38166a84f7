using System.Text;

namespace HomeVault.Core.Audit;

/// <summary>
/// The service's checkpoint-signing key on disk: one line, the signed-note private key string,
/// in a file only the service user can read (mode 0600, created exclusively so two starting
/// services cannot both write one).
/// </summary>
public static class AuditKeyFile
{
    /// <summary>Loads the key at <paramref name="path"/>, generating it named <paramref name="name"/> when the file does not exist.</summary>
    public static NoteSigner LoadOrCreate(string path, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return Load(path);
        }
        using var signer = NoteSigner.Generate(name);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(path, options))
            {
                var bytes = Encoding.UTF8.GetBytes(signer.ExportPrivateKey() + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
                Array.Clear(bytes);
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs.
        }
        return Load(path);
    }

    /// <summary>Loads an existing key; refuses a file that group or others can read, or that holds no key.</summary>
    public static NoteSigner Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new AuditException($"audit key {path} is accessible to other users (mode must be 0600)");
            }
        }
        var text = File.ReadAllText(path, Encoding.UTF8);
        try
        {
            return NoteSigner.ParsePrivateKey(text);
        }
        catch (FormatException ex)
        {
            // The key itself stays out of the message: only that the file is not one.
            throw new AuditException($"audit key {path} is damaged: {ex.Message}", ex);
        }
    }
}
