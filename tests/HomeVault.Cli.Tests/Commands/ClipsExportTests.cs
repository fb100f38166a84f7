using System.Globalization;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests.Commands;

/// <summary>`homevault clips export` run as a process: what the user reads when the export cannot be done.</summary>
public sealed class ClipsExportTests
{
    [Fact]
    public void An_ffmpeg_that_cannot_be_run_is_the_one_line_user_error_not_an_internal_error()
    {
        var (dir, data, pass) = Homevault.Init();
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);
        SealSample(new DataDirectory(data), "front", start);
        // A PATH with mkfifo (the exporter's pipes) but no ffmpeg.
        var tools = TestEnv.NewTempDir("hvtools");
        File.CreateSymbolicLink(Path.Combine(tools, "mkfifo"), TestEnv.Tool("mkfifo"));
        var output = Path.Combine(dir, "out.mp4");

        var r = Homevault.RunWith(null, new Dictionary<string, string> { ["PATH"] = tools },
            "clips", "export", "--camera", "front", "--from", Iso(start), "--to", Iso(start.AddSeconds(6)), "-o", output,
            "--data", data, "--passphrase-file", pass);

        Assert.Equal(1, r.Exit);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("homevault: cannot run ffmpeg: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, ".out.mp4.partial-*"));
    }

    /// <summary>One sealed clip of the shared ffmpeg-made sample, written through Core's clip store.</summary>
    private static void SealSample(DataDirectory data, string camera, DateTimeOffset start)
    {
        using var db = CatalogDatabase.Open(data.CatalogPath);
        using var audit = InstallationAudit.Open(data, db);
        using var clip = new ClipStore(data, db, audit.Log).Begin(camera, null, start);
        clip.Write(SampleMp4.Fragmented);
        clip.Complete(start.AddSeconds(6));
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
