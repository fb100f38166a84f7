using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Tests.Vault;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Clips;

/// <summary>
/// A clip cut short by a crash (disposed without Complete, as kill -9 leaves it), reconciled, then salvaged with
/// the owner's identity: the catalog's bytes are exactly what salvage recovers, and its end is the end of the
/// last whole fragment inside them. Fragment n of each clip ends n seconds after the start.
/// </summary>
public sealed class TruncatedClipTests : IDisposable
{
    private const int Chunk = AgeLayout.ChunkSize;
    private readonly ClipTestVault _vault = new();

    public void Dispose() => _vault.Dispose();

    /// <summary>One step of a recording: a fragment of this many bytes, then a sync or not.</summary>
    private readonly record struct Step(int Bytes, bool Sync);

    private static Step[] Synced(params int[] sizes) => sizes.Select(n => new Step(n, Sync: true)).ToArray();

    [Fact]
    public void The_tail_of_the_last_synced_fragment_is_in_the_held_back_chunk_so_the_end_is_the_fragment_before()
    {
        // 300,000 bytes synced: four whole chunks (262,144) reach the file, the rest is held back.
        var (clip, recovered) = RecordAndCrash(Synced(100_000, 100_000, 100_000));
        Assert.Equal(4L * Chunk, recovered);
        Assert.Equal(_vault.T0.AddSeconds(2), clip.End);
    }

    [Fact]
    public void A_fragment_ending_exactly_on_a_chunk_boundary_counts_once_the_next_one_pushes_its_chunk_out()
    {
        var (clip, recovered) = RecordAndCrash(Synced(2 * Chunk, 1_000));
        Assert.Equal(2L * Chunk, recovered);
        Assert.Equal(_vault.T0.AddSeconds(1), clip.End);
    }

    [Fact]
    public void Chunks_that_reach_the_file_between_syncs_were_recorded_first()
    {
        // No sync after the first: six fragments fill the age stream's batch (seven chunks), which goes to the file
        // while the sixth is written, carrying five whole fragments the catalog had not heard of at the last sync.
        var steps = new[] { new Step(10_000, Sync: true) }.Concat(Enumerable.Repeat(new Step(90_000, Sync: false), 6)).ToArray();
        var (clip, recovered) = RecordAndCrash(steps);
        Assert.Equal(7L * Chunk, recovered);
        Assert.Equal(_vault.T0.AddSeconds(5), clip.End); // the sixth ends at 10,000 + 5 x 90,000 = 460,000 > 458,752
    }

    [Fact]
    public void Unsynced_fragments_still_held_in_the_batch_are_lost_and_not_claimed()
    {
        var steps = Synced(150_000, 100_000).Concat([new Step(100_000, Sync: false), new Step(50_000, Sync: false)]).ToArray();
        var (clip, recovered) = RecordAndCrash(steps);
        Assert.Equal(3L * Chunk, recovered);
        Assert.Equal(_vault.T0.AddSeconds(1), clip.End);
    }

    [Fact]
    public void A_write_torn_inside_a_chunk_leaves_a_partial_tail_that_neither_salvage_nor_the_catalog_counts()
    {
        // Seven whole chunks synced, then the last one torn in half (a write cut short by the kill).
        var (clip, recovered) = RecordAndCrash(Synced(100_000, 100_000, 100_000, 100_000, 100_000), tearBytes: AgeLayout.EncryptedChunkSize / 2);
        Assert.Equal(6L * Chunk, recovered);
        Assert.Equal(_vault.T0.AddSeconds(3), clip.End);
    }

    [Fact]
    public void Less_than_one_chunk_recovers_nothing_and_ends_at_the_start()
    {
        var (clip, recovered) = RecordAndCrash(Synced(10_000, 20_000));
        Assert.Equal(0, recovered);
        Assert.Equal(_vault.T0, clip.End);
    }

    [Theory]
    [InlineData(0, 350_000, 4)] // the whole file: salvage authenticates its final chunk
    [InlineData(1, 5 * Chunk, 3)] // the final chunk torn by a byte
    [InlineData(AgeLayout.EncryptedChunkSize / 2, 4 * Chunk, 2)] // the final chunk and half the one before lost
    public void Killed_after_the_final_chunk_but_before_the_seal_commits_the_catalog_claims_what_salvage_finds(int tearBytes, int expectedBytes, int endSeconds)
    {
        var store = _vault.Store();
        var open = store.Begin("front", null, _vault.T0);
        var footage = VaultTestFiles.Random(350_000);
        open.Write(footage.AsSpan(0, 1_000)); // an init segment
        for (var i = 0; i < 3; i++)
        {
            open.WriteFragment(footage.AsSpan(1_000 + (i * 100_000), 100_000), _vault.T0.AddSeconds(i + 1));
            open.Sync();
        }
        open.WriteFragment(footage.AsSpan(301_000), _vault.T0.AddSeconds(4));
        // The process dies between the final chunk's fsync and the sealing commit.
        Exec("CREATE TRIGGER killed_at_seal BEFORE UPDATE OF state ON clips WHEN NEW.state = 'complete' BEGIN SELECT RAISE(ABORT, 'killed'); END");
        Assert.Throws<SqliteException>(() => open.Complete(_vault.T0.AddSeconds(4)));
        Exec("DROP TRIGGER killed_at_seal");
        Tear(open.RelativePath, tearBytes);

        var clip = Assert.Single(Reconcile(store).TruncatedClips);
        var (recovered, complete) = Salvage(clip, footage);
        Assert.Equal(tearBytes == 0, complete);
        Assert.Equal(expectedBytes, recovered);
        Assert.Equal(_vault.T0.AddSeconds(endSeconds), clip.End);
    }

    [Fact]
    public void A_clip_whose_completion_failed_is_sealed_by_the_running_store_once_it_can_and_no_other_clip_is_touched()
    {
        var store = _vault.Store();
        var crashed = store.Begin("drive", null, _vault.T0);
        crashed.Write(VaultTestFiles.Random(1_000));
        crashed.Dispose(); // as a kill leaves it: only the next start may seal it
        var open = store.Begin("front", null, _vault.T0);
        var footage = VaultTestFiles.Random(250_000);
        open.Write(footage.AsSpan(0, 1_000));
        open.WriteFragment(footage.AsSpan(1_000, 149_000), _vault.T0.AddSeconds(1));
        open.Sync();
        open.WriteFragment(footage.AsSpan(150_000), _vault.T0.AddSeconds(2));
        // The sealing commit fails (as SQLite does on a full disk), after the final chunk reached the file.
        Exec("CREATE TRIGGER full_at_seal BEFORE UPDATE OF state ON clips WHEN NEW.state IN ('complete', 'truncated') BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        Assert.Throws<SqliteException>(() => open.Complete(_vault.T0.AddSeconds(2)));
        Assert.True(store.HasAbandoned);
        Assert.Throws<SqliteException>(store.SealAbandoned); // still no room: kept for later
        Assert.True(store.HasAbandoned);
        Exec("DROP TRIGGER full_at_seal");

        store.SealAbandoned();
        Assert.False(store.HasAbandoned);
        using var read = store.Catalog.Read();
        var clips = read.Clips.Query(includeDeleted: true).ToDictionary(c => c.Camera);
        Assert.Equal(ClipState.Truncated, clips["front"].State);
        var (recovered, complete) = Salvage(clips["front"], footage);
        Assert.True(complete);
        Assert.Equal(footage.Length, recovered);
        Assert.Equal(_vault.T0.AddSeconds(2), clips["front"].End);
        Assert.Equal(ClipState.Recording, read.Clips.ListRecording().Single().State); // the crashed one waits for a start
    }

    [Fact]
    public void A_clip_begun_before_a_reboot_claims_only_what_its_last_row_knew_was_fsynced()
    {
        var store = _vault.Store();
        var open = store.Begin("front", null, _vault.T0);
        var footage = VaultTestFiles.Random(300_000);
        for (var i = 0; i < 3; i++)
        {
            open.WriteFragment(footage.AsSpan(i * 100_000, 100_000), _vault.T0.AddSeconds(i + 1));
            open.Sync();
        }
        open.Dispose();
        // As if the machine lost power and came back: the catalog cannot know that the last sync's chunks survived.
        Exec("UPDATE clips SET boot_id = 'an earlier boot'");

        var clip = Assert.Single(Reconcile(store).TruncatedClips);
        var (recovered, _) = SalvageAnyway(clip, footage);
        Assert.Equal(4L * Chunk, recovered); // the file did keep them
        Assert.Equal(3L * Chunk, clip.PlaintextBytes); // fsynced before the last row
        Assert.Equal(_vault.T0.AddSeconds(1), clip.End);
    }

    /// <summary>Records the steps into one clip, crashes (no Complete), tears the file's end if asked, reconciles and salvages.</summary>
    private (Clip Clip, long Recovered) RecordAndCrash(Step[] steps, int tearBytes = 0)
    {
        var store = _vault.Store();
        var open = store.Begin("front", null, _vault.T0);
        var footage = VaultTestFiles.Random(steps.Sum(s => s.Bytes));
        var offset = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            open.WriteFragment(footage.AsSpan(offset, steps[i].Bytes), _vault.T0.AddSeconds(i + 1));
            offset += steps[i].Bytes;
            if (steps[i].Sync)
            {
                open.Sync();
            }
        }
        var path = open.RelativePath;
        open.Dispose();
        Tear(path, tearBytes);

        var clip = Assert.Single(Reconcile(store).TruncatedClips);
        Assert.Equal(ClipState.Truncated, clip.State);
        var (recovered, complete) = Salvage(clip, footage);
        Assert.False(complete);
        // The end is the end of the last whole fragment inside what salvage recovered, or the start.
        var whole = 0;
        for (long end = 0; whole < steps.Length && end + steps[whole].Bytes <= recovered; whole++)
        {
            end += steps[whole].Bytes;
        }
        Assert.Equal(_vault.T0.AddSeconds(whole), clip.End);
        return (clip, recovered);
    }

    /// <summary>Salvages the clip's file with the owner's identity: the bytes are a prefix of the footage and exactly the catalog's.</summary>
    private (long Recovered, bool Complete) Salvage(Clip clip, byte[] footage)
    {
        var result = SalvageAnyway(clip, footage);
        Assert.Equal(clip.PlaintextBytes, result.Recovered);
        return result;
    }

    private (long Recovered, bool Complete) SalvageAnyway(Clip clip, byte[] footage)
    {
        var file = Path.Combine(_vault.Data.Root, clip.Path);
        using var input = File.OpenRead(file);
        using var plain = new MemoryStream();
        var result = Age.Salvage(input, plain, [_vault.Alice]);
        Assert.Equal(result.BytesRecovered, plain.Length);
        Assert.Equal(footage.AsSpan(0, (int)plain.Length).ToArray(), plain.ToArray());
        Assert.Equal(new FileInfo(file).Length, clip.CiphertextBytes);
        return (result.BytesRecovered, result.Complete);
    }

    private void Exec(string sql) => CatalogDatabase.Scalar(_vault.Db, sql);

    private void Tear(string relativePath, int bytes)
    {
        if (bytes > 0)
        {
            using var f = new FileStream(Path.Combine(_vault.Data.Root, relativePath), FileMode.Open, FileAccess.Write);
            f.SetLength(f.Length - bytes);
        }
    }


    /// <summary>Reconciliation as the recorder runs it: holding the data directory's lock.</summary>
    private static ReconcileReport Reconcile(ClipStore store)
    {
        using var held = DataDirectoryLock.Acquire(store.Data);
        return ClipReconciler.Reconcile(store, held);
    }
}
