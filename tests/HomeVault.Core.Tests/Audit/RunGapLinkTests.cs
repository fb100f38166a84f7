using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Tests.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Audit;

/// <summary>
/// Run and gap rows, as the real clip store writes them, tie to their leaves both ways; files under clips/ that the
/// catalog does not know are named, as reconciliation names its orphans.
/// </summary>
public sealed class RunGapLinkTests : IDisposable
{
    private readonly ClipTestVault _vault = new();
    private readonly long _stalled;
    private readonly long _open;

    public RunGapLinkTests()
    {
        var store = _vault.Store();
        var t0 = _vault.T0;
        _stalled = store.StartRun("front", t0);
        ClipTestVault.Seal(store, "front", t0, t0.AddMinutes(1));
        store.EndRun("front", _stalled, t0.AddMinutes(1), "stall");
        store.RecordGap("front", t0.AddMinutes(1), t0.AddMinutes(2), "stall: no bytes for 20 s");
        store.RecordGap("back", t0, t0.AddMinutes(3), "connect failed: connection refused");
        _open = store.StartRun("front", t0.AddMinutes(2));
        store.Checkpoint(force: true);
    }

    public void Dispose() => _vault.Dispose();

    private void Sql(string sql) => CatalogDatabase.Execute(_vault.Db, sql);

    private long Leaf(string sql) => (long)CatalogDatabase.Scalar(_vault.Db, sql)!;

    [Fact]
    public void Runs_and_gaps_as_the_store_writes_them_verify_and_are_counted()
    {
        var report = _vault.Verify();
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(2, report.Counts.Runs);
        Assert.Equal(2, report.Counts.Gaps);
        Assert.Empty(report.UnknownClipFiles);
        Assert.Equal(DBNull.Value, CatalogDatabase.Scalar(_vault.Db, $"SELECT end_leaf FROM recording_runs WHERE id = {_open}"));
    }

    [Fact]
    public void A_deleted_gap_row_is_caught_at_its_leaf()
    {
        var leaf = Leaf("SELECT leaf FROM gaps WHERE cause LIKE 'connect failed%'");
        Sql("DELETE FROM gaps WHERE cause LIKE 'connect failed%'");
        var p = _vault.Verify().FirstProblem!;
        Assert.Equal(AuditProblemKind.GapRowMissing, p.Kind);
        Assert.Equal(leaf, p.EntryIndex);
    }

    [Fact]
    public void A_rewritten_run_end_reason_is_caught()
    {
        Sql($"UPDATE recording_runs SET end_reason = 'cancelled' WHERE id = {_stalled}");
        var p = _vault.Verify().FirstProblem!;
        Assert.Equal(AuditProblemKind.RunLeafMismatch, p.Kind);
        Assert.Equal(Leaf($"SELECT end_leaf FROM recording_runs WHERE id = {_stalled}"), p.EntryIndex);
        Assert.Equal("stall", p.Expected);
        Assert.Equal("cancelled", p.Found);
    }

    [Theory]
    [InlineData("UPDATE gaps SET end_ms = end_ms + 60000 WHERE cause LIKE 'stall%'", AuditProblemKind.GapLeafMismatch)]
    [InlineData("UPDATE gaps SET cause = 'shutdown' WHERE cause LIKE 'stall%'", AuditProblemKind.GapLeafMismatch)]
    [InlineData("UPDATE gaps SET camera_id = (SELECT id FROM cameras WHERE name = 'front') WHERE cause LIKE 'connect failed%'", AuditProblemKind.GapLeafMismatch)]
    [InlineData("UPDATE gaps SET leaf = NULL WHERE cause LIKE 'stall%'", AuditProblemKind.GapRowMissing)]
    [InlineData("UPDATE gaps SET leaf = (SELECT start_leaf FROM recording_runs LIMIT 1) WHERE cause LIKE 'stall%'", AuditProblemKind.GapLeafMismatch)]
    [InlineData("DELETE FROM recording_runs WHERE end_leaf IS NULL", AuditProblemKind.RunRowMissing)]
    [InlineData("UPDATE recording_runs SET end_leaf = NULL WHERE end_leaf IS NOT NULL", AuditProblemKind.RunRowMissing)]
    [InlineData("UPDATE recording_runs SET ended_ms = NULL, end_reason = NULL WHERE end_leaf IS NOT NULL", AuditProblemKind.RunLeafMismatch)]
    [InlineData("UPDATE recording_runs SET id = id + 100 WHERE end_leaf IS NULL", AuditProblemKind.RunLeafMismatch)]
    public void Every_hand_edit_of_a_run_or_gap_row_is_caught(string edit, AuditProblemKind kind)
    {
        Sql(edit);
        var report = _vault.Verify();
        Assert.False(report.Ok);
        Assert.Equal(kind, report.FirstProblem!.Kind);
    }

    [Fact]
    public void A_row_written_without_a_leaf_by_design_verifies()
    {
        // A run row that names no leaf (as a recorder may write for a reconnect attempt) claims nothing of the log.
        var camera = new CameraRepository(_vault.Db).Ensure("front", _vault.T0);
        var run = new RunRepository(_vault.Db).Start(camera, _vault.T0.AddMinutes(5));
        new RunRepository(_vault.Db).End(run, _vault.T0.AddMinutes(6), "connect failed");
        var report = _vault.Verify();
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(3, report.Counts.Runs);
    }

    [Fact]
    public void A_catalog_from_before_the_leaf_columns_gets_them_from_the_log()
    {
        var before = Columns();
        // Back to schema v6 as an older HomeVault left it: no leaf columns, no indexes on them, no later tables.
        Sql("""
            DROP TABLE replica_clips; DROP TABLE replica_deletions; DROP TABLE replica_never_replicated;
            DROP INDEX recording_runs_start_leaf; DROP INDEX recording_runs_end_leaf; DROP INDEX gaps_leaf;
            ALTER TABLE recording_runs DROP COLUMN start_leaf; ALTER TABLE recording_runs DROP COLUMN end_leaf;
            ALTER TABLE gaps DROP COLUMN leaf; PRAGMA user_version = 6;
            """);
        using var db = CatalogDatabase.Open(_vault.Data.CatalogPath);
        Assert.Equal((long)CatalogDatabase.LatestVersion, CatalogDatabase.Scalar(db, "PRAGMA user_version"));
        Assert.Equal(before, Columns(db));
        using var audit = InstallationAudit.Open(_vault.Data, db);
        var report = audit.Log.Verify(new AuditVerifyOptions { DataDirectory = _vault.Data.Root });
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(2, report.Counts.Gaps);
    }

    private string Columns(Microsoft.Data.Sqlite.SqliteConnection? db = null)
    {
        db ??= _vault.Db;
        return (string)CatalogDatabase.Scalar(db,
            "SELECT group_concat(x, ';') FROM (SELECT id || ':' || ifnull(start_leaf, '-') || ':' || ifnull(end_leaf, '-') AS x FROM recording_runs " +
            "UNION ALL SELECT 'gap' || id || ':' || ifnull(leaf, '-') FROM gaps)")!;
    }

    [Fact]
    public void Files_under_clips_that_the_catalog_does_not_know_are_named_as_reconciliation_names_its_orphans()
    {
        var stray = Path.Combine(_vault.Data.ClipsDir, "front", "stray.mp4.age");
        File.WriteAllText(stray, "not ours");
        Directory.CreateDirectory(Path.Combine(_vault.Data.ClipsDir, "garage"));
        File.WriteAllText(Path.Combine(_vault.Data.ClipsDir, "garage", "planted.mp4.age"), "nor this");

        var report = _vault.Verify();
        Assert.True(report.Ok, report.ToString()); // the record itself is intact
        Assert.Equal([Path.Combine("clips", "front", "stray.mp4.age"), Path.Combine("clips", "garage", "planted.mp4.age")], report.UnknownClipFiles);
        Assert.Contains("2 file(s) under clips/ not in the catalog", report.ToString(), StringComparison.Ordinal);

        ReconcileReport reconciled;
        using (var held = DataDirectoryLock.Acquire(_vault.Data))
        {
            reconciled = ClipReconciler.Reconcile(_vault.Store(), held, new ManualTime(_vault.T0.AddMinutes(10)));
        }
        Assert.Equal(reconciled.OrphanFiles, _vault.Verify().UnknownClipFiles);
        Assert.True(File.Exists(stray));
        Assert.Empty(_vault.Audit.Log.Verify(new AuditVerifyOptions()).UnknownClipFiles); // without a data directory, no files are looked at
    }
}
