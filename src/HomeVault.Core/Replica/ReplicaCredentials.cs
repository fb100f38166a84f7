namespace HomeVault.Core.Replica;

/// <summary>
/// The bucket's access key and secret key, read from a file (systemd LoadCredential style). <see cref="ToString"/>
/// never shows the secret, so the object is safe to land in a log or an exception by accident.
/// </summary>
public sealed class ReplicaCredentials
{
    private ReplicaCredentials(string accessKey, string secretKey)
    {
        AccessKey = accessKey;
        SecretKey = secretKey;
    }

    public string AccessKey { get; }

    public string SecretKey { get; }

    /// <summary>Reads <c>ACCESS_KEY:SECRET_KEY</c> from the first line of <paramref name="path"/>.</summary>
    /// <exception cref="UserError">The file is missing, unreadable or not in that form (its content is never quoted).</exception>
    public static ReplicaCredentials Load(string path)
    {
        string text;
        if (!File.Exists(path))
        {
            throw new UserError($"replica credentials file {path} does not exist");
        }
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"replica credentials file {path} cannot be read: {ex.GetType().Name}");
        }
        var line = text.Split('\n', 2)[0].TrimEnd('\r');
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == line.Length - 1)
        {
            throw new UserError($"replica credentials file {path}: expected one line 'ACCESS_KEY:SECRET_KEY'");
        }
        return new ReplicaCredentials(line[..colon], line[(colon + 1)..]);
    }

    public override string ToString() => $"{AccessKey}:***";
}
