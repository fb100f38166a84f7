namespace HomeVault.Core.Replica;

/// <summary>Checks a <see cref="ReplicaOptions"/> section; each problem is one line naming its field, never a secret.</summary>
public static class ReplicaOptionsValidator
{
    public static void Validate(ReplicaOptions r, string at, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(errors);
        if (!Uri.TryCreate(r.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add($"{at}:Endpoint: must be an absolute http:// or https:// URL");
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add($"{at}:Endpoint: must not contain user:password@; put 'ACCESS_KEY:SECRET_KEY' in CredentialsFile");
        }
        if (string.IsNullOrWhiteSpace(r.Region))
        {
            errors.Add($"{at}:Region: required");
        }
        if (!IsBucketName(r.Bucket))
        {
            errors.Add($"{at}:Bucket: must be 3..63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit");
        }
        if (r.Prefix.Length > 200 || r.Prefix.StartsWith('/') || r.Prefix.Any(c => c < 0x21 || c > 0x7e))
        {
            errors.Add($"{at}:Prefix: at most 200 printable ASCII characters, not starting with '/'");
        }
        if (string.IsNullOrWhiteSpace(r.CredentialsFile) || !Path.IsPathFullyQualified(r.CredentialsFile))
        {
            errors.Add($"{at}:CredentialsFile: required, an absolute path");
        }
        if (r.BandwidthBytesPerSecond < 0)
        {
            errors.Add($"{at}:BandwidthBytesPerSecond: must be >= 0 (0 = no limit), was {r.BandwidthBytesPerSecond}");
        }
        if (r.RemoteRetentionDays is < 0 or > 36500)
        {
            errors.Add($"{at}:RemoteRetentionDays: must be 0..36500 (0 = keep), was {r.RemoteRetentionDays}");
        }
        if (r.AlertLagSeconds is < 0 or > 31_536_000)
        {
            errors.Add($"{at}:AlertLagSeconds: must be 0..31536000 (0 = no alert), was {r.AlertLagSeconds}");
        }
        if (r.ObjectLockDays is < 1 or > 36500)
        {
            errors.Add($"{at}:ObjectLockDays: must be 1..36500 when set, was {r.ObjectLockDays}");
        }
        else if (r.ObjectLockDays is { } lockDays && r.RemoteRetentionDays > 0 && r.RemoteRetentionDays < lockDays)
        {
            errors.Add($"{at}:RemoteRetentionDays: must be at least ObjectLockDays ({lockDays}), was {r.RemoteRetentionDays}");
        }
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
}
