using System.Security.Cryptography;
using HomeVault.Recording.Simulation;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>
/// A camera password never outlives the recorder that needed it, and everything in the data directory is the
/// owner's alone, after kill -9 as after a clean stop: `homevault serve` against a camsim camera behind RTSP
/// authentication, its credentials in a CredentialsFile.
/// </summary>
public sealed class SecretsAfterCrashTests : IDisposable
{
    private const string User = "viewer";
    // Unique to this run, so finding it anywhere means HomeVault put it there; the hex part stays as it is when
    // the password is percent-encoded (':' '@' '/' '%' are not), which is what is looked for.
    private readonly string _marker = "hvpw" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private readonly CamsimProcess _cams;
    private readonly ServeProcesses _serve = new();

    public SecretsAfterCrashTests()
    {
        _cams = CamsimProcess.Start(Path.Combine(TestEnv.RepoRoot, "tools", "camsim", "camsim.py"),
            new CamsimSettings { Size = "640x360", Seconds = 300 }, ["--auth-mount", "secure"],
            environment: new Dictionary<string, string> { ["CAMSIM_AUTH"] = $"{User}:{Password}" });
    }

    private string Password => _marker + ":P@ss/w%rd";

    public void Dispose()
    {
        _serve.Dispose();
        _cams.Dispose();
    }

    /// <summary>Where HomeVault could leave a file: the data directory, the temporary and runtime directories it was given, and the shared ones.</summary>
    private void AssertPasswordNowhere(string data, string tmp, string runtime, string credentials, string when)
    {
        // The scans do find the one file that holds it (it is in this test's temporary directory).
        Assert.Equal([credentials], SecretScan.Private(_marker, [Path.GetDirectoryName(credentials)!], except: ""));
        Assert.Contains(credentials, SecretScan.Shared(_marker, [Path.GetTempPath()], except: ""));
        var found = SecretScan.Private(_marker, [data, tmp, runtime], except: credentials)
            .Concat(SecretScan.Shared(_marker, [Path.GetTempPath(), "/tmp", "/dev/shm", "/var/tmp", "/run"], except: credentials)).Distinct().ToList();
        Assert.True(found.Count == 0, $"{when}: the camera password is in " + string.Join(", ", found));
    }

    [Fact]
    public void After_kill_9_and_after_a_restart_and_clean_stop_no_file_holds_the_password_and_every_file_is_owner_only()
    {
        var (dir, data, _) = Homevault.Init();
        var db = Path.Combine(data, "catalog.db");
        var tmp = Directory.CreateDirectory(Path.Combine(dir, "tmp")).FullName;
        var runtime = Directory.CreateDirectory(Path.Combine(dir, "runtime")).FullName;
        // The operator's file (systemd's LoadCredential= in production): the one place the password may be.
        var credentials = Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "credentials")).FullName, "secure");
        File.WriteAllText(credentials, $"{User}:{Password}\n");
        // 8 s clips of 2 s fragments: a clip's row claims a fragment only once the next sync has pushed its tail's
        // chunk out, so a clip must span several fragments for an open one to show progress.
        var config = ServeProcesses.WriteConfig(Path.Combine(dir, "homevault.json"), data, [("secure", _cams.Urls["secure"], 8, credentials)]);
        const string progress = "SELECT count(*) FROM clips WHERE state = 'recording' AND end_ms > start_ms";

        // As reported: no XDG_RUNTIME_DIR, so earlier versions wrote the ffmpeg input file under TMPDIR.
        var serve = _serve.Start(config, new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = null, ["TMPDIR"] = tmp });
        ServeProcesses.WaitUntil(() => ServeProcesses.Sql(db, "SELECT count(*) FROM clips WHERE state = 'complete'") != "0" && ServeProcesses.Sql(db, progress) == "1", 90,
            "the authenticated camera sealed a clip and has another open");
        serve.Kill(); // SIGKILL: no shutdown code runs
        serve.WaitForExit();
        Assert.DoesNotContain(_marker, _serve.Output(serve), StringComparison.Ordinal);

        AssertPasswordNowhere(data, tmp, runtime, credentials, "after kill -9");
        var afterCrash = OwnerOnlyTree.AssertOwnerOnly(data);
        Assert.Contains("catalog.db-wal", afterCrash);
        Assert.Contains(Path.Combine("status", "cameras.json"), afterCrash);

        // What an earlier version left: its ffmpeg input files with the password, and wider modes.
        var legacy = new[] { tmp, runtime }.Select(parent =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(parent, $"homevault-ffmpeg-{Environment.UserName}"));
            var file = Path.Combine(folder.FullName, $"in-{Guid.NewGuid():N}.ffconcat");
            File.WriteAllText(file, $"ffconcat version 1.0\nfile 'rtsp://{User}:{Uri.EscapeDataString(Password)}@127.0.0.1/secure'\n");
            return file;
        }).ToList();
        var wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        foreach (var file in (string[])["catalog.db", "catalog.db-wal", "catalog.db-shm", "status/cameras.json", "keys/alice.age.pub"])
        {
            File.SetUnixFileMode(Path.Combine(data, file), wide);
        }
        File.SetUnixFileMode(Path.Combine(data, "status"), wide | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        // Restarted with a runtime directory, it records again, then stops cleanly.
        serve = _serve.Start(config, new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = runtime, ["TMPDIR"] = tmp });
        var sealedBefore = ServeProcesses.Clips(data).Count(c => c.GetProperty("state").GetString() == "complete");
        ServeProcesses.WaitUntil(() => ServeProcesses.Clips(data).Count(c => c.GetProperty("state").GetString() == "complete") > sealedBefore, 90,
            "the restarted recorder sealed a clip from the authenticated camera");
        Assert.All(legacy, file => Assert.False(File.Exists(file), $"{file} was left in place"));
        ServeProcesses.Stop(serve);
        var output = _serve.Output(serve);
        Assert.Contains("1 clips sealed as truncated", output, StringComparison.Ordinal);
        Assert.Contains("removed 2 ffmpeg input files holding camera credentials", output, StringComparison.Ordinal);
        Assert.DoesNotContain(_marker, output, StringComparison.Ordinal);

        AssertPasswordNowhere(data, tmp, runtime, credentials, "after a restart and a clean stop");
        OwnerOnlyTree.AssertOwnerOnly(data);
        var verify = Homevault.Run("audit", "verify", "--data", data);
        Assert.True(verify.Exit == 0, verify.Stderr);
    }
}
