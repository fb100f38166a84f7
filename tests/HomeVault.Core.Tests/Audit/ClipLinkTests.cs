using System.Security.Cryptography;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

/// <summary>Clip rows tie to their leaves, clip files to their hashes, deletions to clip.deleted entries.</summary>
public sealed class ClipLinkTests
{
    private sealed class Clips : IDisposable
    {
        public Clips()
        {
            T.Exec("INSERT INTO cameras (id, name, created_ms) VALUES (1, 'front-door', 0)");
            for (var i = 0; i < 4; i++)
            {
                Seal(i);
            }
            T.Log.Checkpoint();
        }

        public AuditTestLog T { get; } = new();

        public AuditVerifyOptions Options => new() { DataDirectory = T.Dir };

        public string FilePath(int i) => Path.Combine(T.Dir, "clips", $"{i}.age");

        // What the recorder does: file on disk, then the clip row and its leaf in one transaction.
        private void Seal(int i)
        {
            Directory.CreateDirectory(Path.Combine(T.Dir, "clips"));
            var data = RandomNumberGenerator.GetBytes(1000 + i);
            File.WriteAllBytes(FilePath(i), data);
            var sha = Convert.ToHexStringLower(SHA256.HashData(data));
            var path = $"clips/{i}.age";
            using var tx = T.Connection.BeginTransaction();
            var index = T.Log.Append(AuditEvent.ClipSealed("recorder", "front-door", i * 60_000L, (i + 1) * 60_000L, sha, path), tx);
            using var cmd = T.Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO clips (camera_id, path, start_ms, end_ms, plaintext_bytes, ciphertext_bytes, sha256, state, audit_index) " +
                              "VALUES (1, $p, $s, $e, 0, $n, $h, 'complete', $a)";
            cmd.Parameters.AddWithValue("$p", path);
            cmd.Parameters.AddWithValue("$s", i * 60_000L);
            cmd.Parameters.AddWithValue("$e", (i + 1) * 60_000L);
            cmd.Parameters.AddWithValue("$n", data.Length);
            cmd.Parameters.AddWithValue("$h", sha);
            cmd.Parameters.AddWithValue("$a", index);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }

        public void DeleteByRetention(int i, bool log)
        {
            var sha = (string)T.Scalar($"SELECT sha256 FROM clips WHERE path = 'clips/{i}.age'")!;
            File.Delete(FilePath(i));
            using var tx = T.Connection.BeginTransaction();
            if (log)
            {
                T.Log.Append(AuditEvent.ClipDeleted("retention", $"clips/{i}.age", sha, "retention: 30 days"), tx);
            }
            using var cmd = T.Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"UPDATE clips SET state = 'deleted', deleted_ms = 1 WHERE path = 'clips/{i}.age'";
            cmd.ExecuteNonQuery();
            tx.Commit();
        }

        public void Dispose() => T.Dispose();
    }

    [Fact]
    public void Intact_clips_and_logged_deletions_verify()
    {
        using var c = new Clips();
        c.DeleteByRetention(1, log: true);
        var report = c.T.Log.Verify(c.Options);
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(4, report.Counts.Clips);
        Assert.Equal(3, report.Counts.ClipFilesHashed);
    }

    [Fact]
    public void Altered_clip_file_is_caught()
    {
        using var c = new Clips();
        var bytes = File.ReadAllBytes(c.FilePath(2));
        bytes[500] ^= 1;
        File.WriteAllBytes(c.FilePath(2), bytes);
        var p = c.T.Log.Verify(c.Options).FirstProblem!;
        Assert.Equal(AuditProblemKind.ClipFileMismatch, p.Kind);
        Assert.Equal(2, p.EntryIndex);
        Assert.True(c.T.Log.Verify(new AuditVerifyOptions { DataDirectory = c.T.Dir, HashClipFiles = false }).Ok);
    }

    [Fact]
    public void Deleted_clip_file_outside_retention_is_caught()
    {
        using var c = new Clips();
        File.Delete(c.FilePath(3));
        var p = c.T.Log.Verify(c.Options).FirstProblem!;
        Assert.Equal(AuditProblemKind.ClipFileMissing, p.Kind);
        Assert.Equal(3, p.EntryIndex);
    }

    [Fact]
    public void Clip_marked_deleted_without_a_logged_deletion_is_caught()
    {
        using var c = new Clips();
        c.DeleteByRetention(0, log: false);
        var p = c.T.Log.Verify(c.Options).FirstProblem!;
        Assert.Equal(AuditProblemKind.ClipDeletionNotLogged, p.Kind);
        Assert.Equal(0, p.EntryIndex);
    }

    [Fact]
    public void Clip_row_that_disagrees_with_its_leaf_is_caught()
    {
        using var c = new Clips();
        c.T.Exec("UPDATE clips SET end_ms = end_ms + 5000 WHERE path = 'clips/1.age'");
        var p = c.T.Log.Verify(c.Options).FirstProblem!;
        Assert.Equal(AuditProblemKind.ClipLeafMismatch, p.Kind);
        Assert.Equal(1, p.EntryIndex);
        Assert.Equal("120000", p.Expected);
        Assert.Equal("125000", p.Found);
    }

    [Fact]
    public void Clip_row_without_a_leaf_is_caught()
    {
        using var c = new Clips();
        c.T.Exec("INSERT INTO clips (camera_id, path, start_ms, end_ms, plaintext_bytes, ciphertext_bytes, sha256, state) " +
                 "VALUES (1, 'clips/sneaky.age', 0, 1, 0, 0, $h, 'complete')", ("$h", new string('0', 64)));
        Assert.Equal(AuditProblemKind.ClipNotLogged, c.T.Log.Verify(c.Options).FirstProblem!.Kind);
    }
}
