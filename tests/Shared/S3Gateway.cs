namespace HomeVault.Tests;

/// <summary>
/// A real S3 server for the test run: Ceph's RADOS Gateway on loopback, started by the repository's own
/// scripts/s3/rgw-up.sh in a temporary directory and stopped (and deleted) at the end. Missing Ceph packages fail
/// the tests that use it (scripts/setup.sh --test installs them); nothing is skipped.
/// </summary>
public sealed class S3Gateway : IAsyncLifetime
{
    private string? _dir;

    public string Endpoint { get; private set; } = "";

    public string AccessKey { get; private set; } = "";

    public string SecretKey { get; private set; } = "";

    private static string Script(string name) => Path.Combine(TestEnv.RepoRoot, "scripts", "s3", name);

    public ValueTask InitializeAsync()
    {
        foreach (var tool in (string[])["ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "curl"])
        {
            TestEnv.Tool(tool);
        }
        _dir = TestEnv.NewTempDir("hv-rgw");
        var (exit, stdout, stderr) = TestEnv.Run(Script("rgw-up.sh"), [_dir], timeoutMs: 240_000);
        Assert.True(exit == 0, $"rgw-up.sh failed ({exit}): {stderr}");
        foreach (var line in System.Text.Encoding.UTF8.GetString(stdout).Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            var value = line[(eq + 1)..].Trim();
            switch (line[..eq])
            {
                case "S3_ENDPOINT": Endpoint = value; break;
                case "S3_ACCESS_KEY": AccessKey = value; break;
                case "S3_SECRET_KEY": SecretKey = value; break;
            }
        }
        Assert.False(string.IsNullOrEmpty(Endpoint) || string.IsNullOrEmpty(SecretKey), "rgw-up.sh printed no endpoint or keys");
        return ValueTask.CompletedTask;
    }

    /// <summary>A fresh bucket name (S3 rules: lower case, 3..63).</summary>
    public static string NewBucketName() => "hv-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Writes the credentials as a LoadCredential-style file (one line ACCESS_KEY:SECRET_KEY, mode 0600).</summary>
    public string WriteCredentialsFile(string directory)
    {
        var path = Path.Combine(directory, "s3.credentials");
        File.WriteAllText(path, $"{AccessKey}:{SecretKey}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Stops only the gateway (the cluster keeps its objects); <see cref="StartGateway"/> brings it back on the same port.</summary>
    public void StopGateway() => Gateway("stop");

    public void StartGateway() => Gateway("start");

    private void Gateway(string verb)
    {
        var (exit, _, stderr) = TestEnv.Run(Script("rgw-gateway.sh"), [_dir!, verb], timeoutMs: 120_000);
        Assert.True(exit == 0, $"rgw-gateway.sh {verb} failed ({exit}): {stderr}");
    }

    public ValueTask DisposeAsync()
    {
        if (_dir is not null)
        {
            TestEnv.Run(Script("rgw-down.sh"), [_dir], timeoutMs: 120_000);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The tests that share one gateway per run.</summary>
[CollectionDefinition(Name)]
public sealed class SharedS3Gateway : ICollectionFixture<S3Gateway>
{
    public const string Name = "S3 gateway";
}
