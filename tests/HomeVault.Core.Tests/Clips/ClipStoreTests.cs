using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Vault;
using HomeVault.Tests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Clips;

public sealed class ClipStoreTests : IDisposable
{
    private readonly ClipTestVault _vault = new();
    private readonly DataDirectory _data;
    private readonly SqliteConnection _db;
    private readonly InstallationAudit _audit;
    private readonly X25519Identity _alice;
    private readonly DateTimeOffset _t0;

    public ClipStoreTests()
    {
        _data = _vault.Data;
        _db = _vault.Db;
        _audit = _vault.Audit;
        _alice = _vault.Alice;
        _t0 = _vault.T0;
    }

    public void Dispose() => _vault.Dispose();

    private ClipStore Store() => _vault.Store();

    private static byte[] Footage(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        "PLAINTEXT-MARKER"u8.CopyTo(bytes);
        return bytes;
    }

    private static string IdentityFile(X25519Identity id)
    {
        var path = Path.Combine(TestEnv.NewTempDir("hvid"), "id.txt");
        File.WriteAllText(path, id.ExportSecret() + "\n");
        return path;
    }

    [Fact]
    public void Completed_clip_is_sealed_to_every_owner_catalogued_and_logged()
    {
        using var bob = X25519Identity.Generate();
        new OwnerRepository(_db).Add("bob", bob.Recipient.ToString(), "RWQbob", _t0);
        var store = Store();
        var footage = Footage(1_000_000);
        var run = store.StartRun("front", _t0);
        var open = store.Begin("front", run, _t0);
        for (var i = 0; i < footage.Length; i += 100_000)
        {
            open.WriteFragment(footage.AsSpan(i, 100_000), _t0.AddSeconds((i / 100_000) + 1));
            open.Sync();
        }
        var clip = open.Complete(_t0.AddSeconds(10));
        Assert.Equal(run, clip.RunId);
        store.EndRun("front", run, _t0.AddSeconds(10), "eof");

        var full = Path.Combine(_data.Root, clip.Path);
        var cipher = File.ReadAllBytes(full);
        Assert.Equal(-1, cipher.AsSpan().IndexOf("PLAINTEXT-MARKER"u8));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(cipher)), clip.Sha256);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(full));
        foreach (var id in new[] { _alice, bob })
        {
            var age = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", IdentityFile(id), full]);
            Assert.True(age.Exit == 0, age.Stderr);
            Assert.Equal(footage, age.Stdout);
        }
        var row = Assert.Single(new ClipRepository(_db).Query("front"));
        Assert.Equal(ClipState.Complete, row.State);
        Assert.Equal(footage.Length, row.PlaintextBytes);
        Assert.Equal(cipher.Length, row.CiphertextBytes);
        Assert.Equal(_t0.AddSeconds(10), row.End);
        Assert.NotNull(row.AuditIndex);
        var report = _audit.Log.Verify(new AuditVerifyOptions { DataDirectory = _data.Root });
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(1, report.Counts.ClipFilesHashed);
        Assert.Equal([AuditActions.RunStarted, AuditActions.ClipSealed, AuditActions.RunEnded],
            _audit.Log.GetEntries(0, 10).Select(e => e.Event.Action));
    }

    [Fact]
    public void Progress_is_in_the_catalog_at_once_and_every_other_commit_stays_fsynced()
    {
        var store = Store();
        var open = store.Begin("front", null, _t0);
        // The first progress commit is fsynced; the next ones, inside DurableProgressEvery, are not.
        for (var i = 1; i <= 3; i++)
        {
            open.WriteFragment(Footage(100_000), _t0.AddSeconds(i));
            open.Sync();
            Assert.Equal(2L, CatalogDatabase.Scalar(_db, "PRAGMA synchronous")); // FULL
            // Another connection, as the next start after a kill -9 would open, sees it.
            using var other = CatalogDatabase.Open(_data.CatalogPath);
            var repo = new ClipRepository(other);
            var row = repo.FindByPath(open.RelativePath)!;
            Assert.Equal(ClipState.Recording, row.State);
            // The row was written before this sync's chunks reached the file: it lists the fragment just written,
            // and its end is that of the last fragment inside the whole chunks the previous sync made durable.
            Assert.EndsWith($"{100_000 * i}:{_t0.AddSeconds(i).ToUnixTimeMilliseconds()}", repo.PendingProgress(row.Id).PendingFragments, StringComparison.Ordinal);
            var durable = Math.Max(0, ((100_000L * (i - 1)) - 1) / AgeLayout.ChunkSize * AgeLayout.ChunkSize);
            Assert.Equal(durable, row.PlaintextBytes);
            Assert.Equal(_t0.AddSeconds(durable / 100_000), row.End);
        }
        open.Dispose();
    }

    [Fact]
    public void Crash_mid_clip_is_reconciled_as_truncated_and_salvageable_up_to_the_last_sync()
    {
        var store = Store();
        var footage = Footage(700_000);
        var run = store.StartRun("front", _t0);
        var open = store.Begin("front", run, _t0);
        open.WriteFragment(footage.AsSpan(0, 400_000), _t0.AddSeconds(4));
        open.WriteFragment(footage.AsSpan(400_000, 100_000), _t0.AddSeconds(5)); // its tail stays in the held-back chunk
        open.Sync();
        open.WriteFragment(footage.AsSpan(500_000), _t0.AddSeconds(7)); // never synced
        var path = open.RelativePath;
        open.Dispose(); // as a crash: no final chunk, row left 'recording'

        Assert.Equal(ClipState.Recording, new ClipRepository(_db).FindByPath(path)!.State);
        var orphan = Path.Combine(_data.ClipsDir, "front", "stray.mp4.age");
        File.WriteAllText(orphan, "not ours");

        using var held = DataDirectoryLock.Acquire(_data);
        var result = ClipReconciler.Reconcile(store, held, new ManualTime(_t0.AddMinutes(5)));

        var clip = Assert.Single(result.TruncatedClips);
        Assert.Equal(run, clip.RunId);
        Assert.Equal(ClipState.Truncated, clip.State);
        Assert.Equal(_t0.AddSeconds(4), clip.End);
        Assert.Equal(1, result.RunsClosed);
        Assert.Equal([Path.Combine("clips", "front", "stray.mp4.age")], result.OrphanFiles);
        Assert.True(File.Exists(orphan), "orphans are reported, never deleted");

        using var input = File.OpenRead(Path.Combine(_data.Root, path));
        using var recovered = new MemoryStream();
        var salvage = Age.Salvage(input, recovered, [_alice]);
        Assert.False(salvage.Complete);
        Assert.True(recovered.Length >= 400_000 - AgeLayout.ChunkSize, $"recovered {recovered.Length}");
        Assert.Equal(clip.PlaintextBytes, recovered.Length);
        Assert.Equal(footage.AsSpan(0, (int)recovered.Length).ToArray(), recovered.ToArray());

        var report = _audit.Log.Verify(new AuditVerifyOptions { DataDirectory = _data.Root });
        Assert.True(report.Ok, report.ToString());
        var actions = _audit.Log.GetEntries(0, 10).Select(e => e.Event.Action).ToList();
        Assert.Equal([AuditActions.RunStarted, AuditActions.ClipTruncated, AuditActions.RunEnded, AuditActions.Gap], actions);
        Assert.Empty(ClipReconciler.Reconcile(store, held).TruncatedClips);
    }

    [Fact]
    public void Reconcile_logs_a_recording_clip_whose_file_vanished_as_deleted()
    {
        var store = Store();
        var open = store.Begin("front", null, _t0);
        var path = open.RelativePath;
        open.Dispose();
        File.Delete(Path.Combine(_data.Root, path));
        using var held = DataDirectoryLock.Acquire(_data);
        var result = ClipReconciler.Reconcile(store, held);
        Assert.Equal([path], result.MissingFiles);
        Assert.Empty(new ClipRepository(_db).Query());
        var report = _audit.Log.Verify(new AuditVerifyOptions { DataDirectory = _data.Root });
        Assert.True(report.Ok, report.ToString());
    }

    [Fact]
    public void Same_millisecond_clips_get_distinct_files_and_bad_camera_names_are_refused()
    {
        var store = Store();
        var a = store.Begin("front", null, _t0);
        var b = store.Begin("front", null, _t0);
        Assert.NotEqual(a.RelativePath, b.RelativePath);
        a.Complete(_t0.AddSeconds(1));
        b.Complete(_t0.AddSeconds(1));
        Assert.Throws<ArgumentException>(() => store.Begin("../etc", null, _t0));
    }

    [Fact]
    public void A_sealed_clip_removed_from_the_catalog_by_hand_is_caught_by_verify()
    {
        var store = Store();
        ClipTestVault.Seal(store, "front", _t0, _t0.AddMinutes(1)); // a clip that stays
        var gone = ClipTestVault.Seal(store, "front", _t0.AddMinutes(1), _t0.AddMinutes(2));
        using (var cmd = _db.CreateCommand())
        {
            cmd.CommandText = "DELETE FROM clips WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", gone.Id);
            Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery()); // the trigger refuses
            cmd.CommandText = "DROP TRIGGER clips_no_delete; DELETE FROM clips WHERE id = $id";
            cmd.ExecuteNonQuery();
        }
        File.Delete(Path.Combine(_data.Root, gone.Path));
        var report = _vault.Verify();
        Assert.False(report.Ok);
        Assert.Equal(AuditProblemKind.ClipRowMissing, report.FirstProblem!.Kind);
        Assert.Equal(gone.AuditIndex, report.FirstProblem.EntryIndex);
    }

    [Fact]
    public void A_sealed_clip_cannot_be_set_back_to_recording()
    {
        var clip = ClipTestVault.Seal(Store(), "front", _t0, _t0.AddMinutes(1));
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "UPDATE clips SET state = 'recording', sha256 = NULL, audit_index = NULL WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", clip.Id);
        Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
    }
}
