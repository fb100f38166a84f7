using HomeVault.Core.Catalog;
using HomeVault.Tests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Catalog;

public sealed class CatalogDatabaseTests
{
    private static string NewDbPath() => Path.Combine(TestEnv.NewTempDir(), "catalog.db");

    [Fact]
    public void Create_applies_all_migrations_with_wal_and_foreign_keys()
    {
        var path = NewDbPath();
        using var db = CatalogDatabase.Open(path, create: true);
        Assert.Equal((long)CatalogDatabase.LatestVersion, CatalogDatabase.Scalar(db, "PRAGMA user_version"));
        Assert.Equal("wal", CatalogDatabase.Scalar(db, "PRAGMA journal_mode"));
        Assert.Equal(1L, CatalogDatabase.Scalar(db, "PRAGMA foreign_keys"));
        Assert.Equal(2L, CatalogDatabase.Scalar(db, "PRAGMA synchronous")); // FULL
        foreach (var table in new[] { "owners", "cameras", "clips", "recording_runs", "gaps", "settings" })
        {
            Assert.Equal(1L, CatalogDatabase.Scalar(db, $"SELECT count(*) FROM sqlite_master WHERE type='table' AND name='{table}'"));
        }
    }

    [Fact]
    public void The_catalog_and_its_wal_and_shm_are_owner_only_even_under_a_wide_umask_and_after_an_earlier_version()
    {
        const UnixFileMode wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var path = NewDbPath();
        // This test process runs with umask 022, under which SQLite makes 0644 files.
        using (var db = CatalogDatabase.Open(path, create: true))
        {
            new SettingsRepository(db).Set("k", "v");
            foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            // As an earlier version left them (SQLite then gives a new -wal and -shm the database's mode).
            foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
            {
                File.SetUnixFileMode(file, wide);
            }
            using var again = CatalogDatabase.Open(path);
            foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public void Reopen_keeps_data_and_does_not_rerun_migrations()
    {
        var path = NewDbPath();
        using (var db = CatalogDatabase.Open(path, create: true))
        {
            new SettingsRepository(db).Set("k", "v");
        }
        using var again = CatalogDatabase.Open(path);
        Assert.Equal("v", new SettingsRepository(again).Get("k"));
    }

    [Fact]
    public void Open_without_create_on_missing_file_names_the_problem()
    {
        var path = NewDbPath();
        var ex = Assert.Throws<CatalogException>(() => CatalogDatabase.Open(path));
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Newer_schema_is_refused_and_left_untouched()
    {
        var path = NewDbPath();
        using (var db = CatalogDatabase.Open(path, create: true))
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 999";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<CatalogException>(() => CatalogDatabase.Open(path));
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
        using var raw = new SqliteConnection($"Data Source={path}");
        raw.Open();
        Assert.Equal(999L, CatalogDatabase.Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public void Not_a_database_is_a_clear_error()
    {
        var path = NewDbPath();
        File.WriteAllText(path, "this is not sqlite, just text that is long enough to look like a header......");
        var ex = Assert.Throws<CatalogException>(() => CatalogDatabase.Open(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Foreign_keys_are_enforced()
    {
        using var db = CatalogDatabase.Open(NewDbPath(), create: true);
        var clips = new ClipRepository(db);
        Assert.Throws<SqliteException>(() => clips.Add(42, null, "clips/x.age", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, 0, new string('0', 64), ClipState.Complete));
    }

    [Fact]
    public void Duplicate_owner_is_refused_without_changing_anything()
    {
        using var db = CatalogDatabase.Open(NewDbPath(), create: true);
        var owners = new OwnerRepository(db);
        owners.Add("alice", "age1a", "RWQa", DateTimeOffset.UnixEpoch);
        var ex = Assert.Throws<CatalogException>(() => owners.Add("alice", "age1b", "RWQb", DateTimeOffset.UnixEpoch));
        Assert.Contains("alice", ex.Message, StringComparison.Ordinal);
        Assert.Single(owners.List());
        Assert.Throws<ArgumentException>(() => owners.Add("Bad Name", "age1c", "RWQc", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Clip_query_selects_overlapping_window_per_camera()
    {
        using var db = CatalogDatabase.Open(NewDbPath(), create: true);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var cams = new CameraRepository(db);
        var front = cams.Ensure("front", now);
        var back = cams.Ensure("back", now);
        Assert.Equal(front, cams.Ensure("front", now));
        var clips = new ClipRepository(db);
        for (var i = 0; i < 5; i++)
        {
            clips.Add(front, null, $"clips/front/{i}.age", now.AddMinutes(i), now.AddMinutes(i + 1), 10, 100, new string('a', 64), ClipState.Complete);
            clips.Add(back, null, $"clips/back/{i}.age", now.AddMinutes(i), now.AddMinutes(i + 1), 10, 100, new string('b', 64), ClipState.Complete);
        }
        var hits = clips.Query("front", now.AddMinutes(1.5), now.AddMinutes(3));
        Assert.Equal(["clips/front/1.age", "clips/front/2.age"], hits.Select(c => c.Path));
        Assert.Equal(10, clips.Query().Count);
        Assert.Equal(now.AddMinutes(1), hits[0].Start);
        Assert.Equal(["back", "front"], cams.ListNames());
    }

    [Fact]
    public void Dangling_runs_are_listed_with_the_end_of_their_last_clip_until_ended()
    {
        using var db = CatalogDatabase.Open(NewDbPath(), create: true);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var cam = new CameraRepository(db).Ensure("front", now);
        var runs = new RunRepository(db);
        var run = runs.Start(cam, now);
        new ClipRepository(db).Add(cam, run, "clips/a.age", now, now.AddSeconds(60), 1, 2, new string('c', 64), ClipState.Complete);
        var dangling = Assert.Single(runs.ListDangling());
        Assert.Equal((run, "front", now, now.AddSeconds(60)), dangling);
        runs.End(run, now.AddSeconds(61), "crash");
        Assert.Equal("crash", CatalogDatabase.Scalar(db, "SELECT end_reason FROM recording_runs"));
        Assert.Empty(runs.ListDangling());
    }
}

public sealed class NamesTests
{
    [Theory]
    [InlineData("front", true)]
    [InlineData("cam_2-back", true)]
    [InlineData("bob\n", false)]
    [InlineData("Front", false)]
    [InlineData("-front", false)]
    [InlineData("../x", false)]
    [InlineData("", false)]
    [InlineData("abcdefghijabcdefghijabcdefghijab", true)]
    [InlineData("abcdefghijabcdefghijabcdefghijabc", false)]
    public void Safe_names(string name, bool valid) => Assert.Equal(valid, HomeVault.Core.Catalog.Names.IsValid(name));
}
