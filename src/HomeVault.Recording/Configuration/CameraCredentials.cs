namespace HomeVault.Recording.Configuration;

/// <summary>
/// A camera's user and password, read from its CredentialsFile. <see cref="ToString"/> never
/// shows the password, so the object is safe to land in a log or an exception by accident.
/// </summary>
public sealed class CameraCredentials
{
    public CameraCredentials(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        User = user;
        Password = password;
    }

    public string User { get; }

    public string Password { get; }

    /// <summary>Reads <c>user:password</c> from the first line of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not <c>user:password</c> (its content is never quoted).</exception>
    public static CameraCredentials Load(string path)
    {
        var text = File.ReadAllText(path);
        var line = text.Split('\n', 2)[0].TrimEnd('\r');
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new InvalidDataException($"credentials file {path}: expected one line 'user:password'");
        }
        return new CameraCredentials(line[..colon], line[(colon + 1)..]);
    }

    public override string ToString() => $"{User}:***";
}
