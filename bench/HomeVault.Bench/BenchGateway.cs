namespace HomeVault.Bench;

/// <summary>
/// A RADOS Gateway on loopback for a benchmark: the repository's scripts/s3/rgw-up.sh in <see cref="Dir"/>, stopped by
/// <see cref="Dispose"/> (rgw-down.sh). Writes the credentials file HomeVault reads and the s3cmd configuration.
/// </summary>
internal sealed class BenchGateway : IDisposable
{
    private BenchGateway(string dir, IReadOnlyDictionary<string, string> printed)
    {
        Dir = dir;
        Endpoint = printed["S3_ENDPOINT"];
        CredentialsFile = Path.Combine(dir, "s3.credentials");
        File.WriteAllText(CredentialsFile, $"{printed["S3_ACCESS_KEY"]}:{printed["S3_SECRET_KEY"]}\n");
        File.SetUnixFileMode(CredentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        S3cmdConfig = Path.Combine(dir, "s3cfg");
        var host = new Uri(Endpoint).Authority;
        File.WriteAllText(S3cmdConfig, $"[default]\naccess_key = {printed["S3_ACCESS_KEY"]}\nsecret_key = {printed["S3_SECRET_KEY"]}\n" +
            $"host_base = {host}\nhost_bucket = {host}\nuse_https = False\nsignature_v2 = False\n");
    }

    public string Dir { get; }

    public string Endpoint { get; }

    /// <summary>ACCESS_KEY:SECRET_KEY, HomeVault's `Replica.CredentialsFile`.</summary>
    public string CredentialsFile { get; }

    public string S3cmdConfig { get; }

    private static string Script(string name) => Path.Combine(NativeCli.RepoRoot(), "scripts", "s3", name);

    public static BenchGateway Start(string dir)
    {
        var up = Tool.Run(Script("rgw-up.sh"), dir);
        var printed = up.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
        return new BenchGateway(dir, printed);
    }

    public void CreateBucket(string bucket) => Tool.Run("s3cmd", "-c", S3cmdConfig, "mb", "s3://" + bucket);

    /// <summary>The bucket's object count.</summary>
    public int Count(string bucket) => Tool.Run("s3cmd", "-c", S3cmdConfig, "ls", "--recursive", "s3://" + bucket).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Removes the bucket and its objects at once (no garbage collection later), so the in-RAM OSD holds one run's objects at a time.</summary>
    public void Purge(string bucket) =>
        Tool.Run("radosgw-admin", "-c", Path.Combine(Dir, "ceph.conf"), "bucket", "rm", "--bucket=" + bucket, "--purge-objects", "--bypass-gc");

    /// <summary>A configuration's `Replica` section for <paramref name="bucket"/>.</summary>
    public Dictionary<string, object> ReplicaSection(string bucket) =>
        new() { ["Endpoint"] = Endpoint, ["Bucket"] = bucket, ["CredentialsFile"] = CredentialsFile };

    public void Dispose()
    {
        if (File.Exists(Path.Combine(Dir, "ceph.conf")))
        {
            Tool.Run(Script("rgw-down.sh"), Dir);
        }
    }
}
