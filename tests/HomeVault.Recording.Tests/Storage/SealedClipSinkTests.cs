using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Vault;
using HomeVault.Recording.Tests.Support;
using HomeVault.Tests;

namespace HomeVault.Recording.Tests.Storage;

/// <summary>The production sink over a real catalog file, real age and ffmpeg-made fragments.</summary>
public sealed class SealedClipSinkTests
{
    [Fact]
    public async Task A_completed_clip_decrypts_to_exactly_the_init_segment_and_fragments_and_is_sealed_in_catalog_and_log()
    {
        using var v = new SealedFootage();
        var (init, fragments) = await SealedFootage.SplitAsync(SealedFootage.Sample);

        var clip = await v.RecordAsync("front", v.T0);

        Assert.Equal([.. init, .. fragments.SelectMany(f => f.Bytes)], v.Decrypt(clip));
        Assert.Equal(ClipState.Complete, clip.State);
        Assert.Equal(SealedFootage.Ms(v.T0 + TimeSpan.FromTicks(fragments.Sum(f => f.Duration.Ticks))), clip.End);
        Assert.Equal(init.Length + fragments.Sum(f => f.Bytes.Length), clip.PlaintextBytes);
        Assert.Equal(new FileInfo(Path.Combine(v.Data.Root, clip.Path)).Length, clip.CiphertextBytes);
        Assert.NotNull(clip.Sha256);
        Assert.NotNull(clip.AuditIndex);
        Assert.Equal([AuditActions.RunStarted, AuditActions.ClipSealed, AuditActions.RunEnded], v.Actions());
        var report = v.Verify();
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(1, report.Counts.Clips);
    }

    [Fact]
    public async Task Stock_age_decrypts_a_sealed_clip_to_the_exact_fmp4_and_the_catalog_hash_is_the_files()
    {
        using var v = new SealedFootage();
        var (init, fragments) = await SealedFootage.SplitAsync(SealedFootage.Sample);
        var clip = await v.RecordAsync("front", v.T0);
        var dir = TestEnv.NewTempDir("hvstockage");
        var key = Path.Combine(dir, "alice.key");
        File.WriteAllText(key, IdentityFile.Format(v.Alice, v.T0));
        var sealedFile = Path.Combine(v.Data.Root, clip.Path);
        var mp4 = Path.Combine(dir, "clip.mp4");

        var age = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", key, "-o", mp4, sealedFile]);

        Assert.True(age.Exit == 0, age.Stderr);
        Assert.Equal([.. init, .. fragments.SelectMany(f => f.Bytes)], File.ReadAllBytes(mp4));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(sealedFile))), clip.Sha256);
        Assert.Equal(["audio", "video"], Media.Streams(mp4).Select(s => s.Type).Order());
        Assert.Equal("", Media.DecodeErrors(mp4));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_clip_disposed_without_complete_is_sealed_at_the_media_it_holds()
    {
        using var v = new SealedFootage();
        var (init, fragments) = await SealedFootage.SplitAsync(SealedFootage.Sample);

        var clip = await v.RecordAsync("front", v.T0, fragments: 3, complete: false);

        Assert.Equal([.. init, .. fragments.Take(3).SelectMany(f => f.Bytes)], v.Decrypt(clip));
        Assert.Equal(ClipState.Complete, clip.State);
        Assert.Equal(SealedFootage.Ms(v.T0 + TimeSpan.FromTicks(fragments.Take(3).Sum(f => f.Duration.Ticks))), clip.End);
        var report = v.Verify();
        Assert.True(report.Ok, report.ToString());
    }

    [Fact]
    public void Runs_and_gaps_reach_the_catalog_and_the_log_and_an_unknown_run_ends_nothing()
    {
        using var v = new SealedFootage();

        var run = v.Sink.RunStarted("front", v.T0);
        var gap = v.Sink.GapOpened("front", v.T0.AddSeconds(10), "camera unreachable");
        v.Sink.GapClosed(gap, "front", v.T0.AddSeconds(10), v.T0.AddSeconds(20), "camera unreachable");
        v.Sink.RunEnded(run, v.T0.AddSeconds(30), "stopped");
        v.Sink.RunEnded(run, v.T0.AddSeconds(40), "stopped again");
        v.Sink.RunEnded(run + 1000, v.T0.AddSeconds(40), "never started");

        Assert.Equal([AuditActions.RunStarted, AuditActions.Gap, AuditActions.RunEnded], v.Actions());
        Assert.Empty(new RunRepository(v.Db).ListDangling());
        var report = v.Verify();
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(1, report.Counts.Runs);
        Assert.Equal(1, report.Counts.Gaps);
    }

    [Fact]
    public async Task A_cancelled_begin_opens_no_clip()
    {
        using var v = new SealedFootage();
        var (init, _) = await SealedFootage.SplitAsync(SealedFootage.Sample);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await v.Sink.BeginClipAsync("front", 1, v.T0, init, cancelled.Token));

        Assert.Empty(new ClipRepository(v.Db).Query("front", includeDeleted: true));
        Assert.Empty(v.Actions());
    }
}
