using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// Ties the catalog's clips to the log: each live clip row to a clip.sealed/clip.truncated leaf
/// with the same camera, times, hash and path, each live clip file to that hash, and each deleted
/// clip to a clip.deleted leaf for its path and hash. Clips still being written ('recording') are
/// not sealed yet and have no leaf; the next start's reconciliation seals or truncates them.
/// </summary>
internal sealed class AuditClipChecker(AuditStore store, SqliteTransaction tx, long logSize, HashSet<Int128> deletions, AuditVerifyOptions options)
{
    public int Clips { get; private set; }

    public int FilesHashed { get; private set; }

    public AuditProblem? Run()
    {
        using var cmd = store.Command(tx,
            "SELECT c.id, c.path, c.start_ms, c.end_ms, c.sha256, c.state, c.audit_index, cam.name " +
            "FROM clips c JOIN cameras cam ON cam.id = c.camera_id WHERE c.state <> 'recording' ORDER BY c.id");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var clip = new ClipRow(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetInt64(6), r.GetString(7));
            if (Check(clip) is { } problem)
            {
                return problem;
            }
            Clips++;
        }
        return null;
    }

    /// <summary>
    /// The other direction: a clip the log says was sealed must still have its row (live, or
    /// deleted with a logged deletion, which <see cref="Run"/> checked). Without this, deleting a
    /// row and its file by hand would leave no trace that verification could find.
    /// </summary>
    public AuditProblem? CheckLeavesHaveRows(IReadOnlyList<(long Index, string Path)> leaves)
    {
        var rows = new Dictionary<long, string>();
        using (var cmd = store.Command(tx, "SELECT audit_index, path FROM clips WHERE audit_index IS NOT NULL"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                rows[r.GetInt64(0)] = r.GetString(1);
            }
        }
        foreach (var (index, path) in leaves)
        {
            if (!rows.TryGetValue(index, out var rowPath))
            {
                return new AuditProblem(AuditProblemKind.ClipRowMissing, index, $"the log seals clip {path} but the catalog has no row for that leaf (removed by hand?)");
            }
            if (rowPath != path)
            {
                return new AuditProblem(AuditProblemKind.ClipLeafMismatch, index, "the clip row pointing at this leaf names another file", path, rowPath);
            }
        }
        return null;
    }

    private AuditProblem? Check(ClipRow clip)
    {
        var live = clip.State != "deleted";
        if (clip.AuditIndex is null)
        {
            return live ? new AuditProblem(AuditProblemKind.ClipNotLogged, null, $"clip {clip.Id} ({clip.Path}) has no audit leaf") : CheckDeletion(clip);
        }
        var index = clip.AuditIndex.Value;
        if (index < 0 || index >= logSize)
        {
            return new AuditProblem(AuditProblemKind.ClipNotLogged, index, $"clip {clip.Id} ({clip.Path}) points at a leaf the log does not have", $"< {logSize}", AuditVerifier.Str(index));
        }
        var row = store.Entry(tx, index);
        var entry = row is null ? null : AuditEntry.TryDecode(index, row.Value.Entry, out _);
        if (entry is null)
        {
            return new AuditProblem(AuditProblemKind.ClipNotLogged, index, $"clip {clip.Id} ({clip.Path}) points at a leaf that cannot be read");
        }
        var e = entry.Event;
        if (e.Action is not (AuditActions.ClipSealed or AuditActions.ClipTruncated))
        {
            return new AuditProblem(AuditProblemKind.ClipLeafMismatch, index, $"clip {clip.Id} points at a leaf that does not log a clip", AuditActions.ClipSealed, e.Action);
        }
        foreach (var (key, expected) in new[]
        {
            ("camera", clip.Camera),
            ("start", clip.StartMs.ToString(CultureInfo.InvariantCulture)),
            ("end", clip.EndMs.ToString(CultureInfo.InvariantCulture)),
            ("sha256", clip.Sha256),
            ("path", clip.Path),
        })
        {
            var found = e.Details.GetValueOrDefault(key);
            if (found != expected)
            {
                return new AuditProblem(AuditProblemKind.ClipLeafMismatch, index, $"clip {clip.Id} row's {key} differs from its audit leaf", found, expected);
            }
        }
        return live ? CheckFile(clip, index) : CheckDeletion(clip);
    }

    private AuditProblem? CheckDeletion(ClipRow clip) =>
        deletions.Contains(AuditVerifier.DeletionKey(clip.Path, clip.Sha256))
            ? null
            : new AuditProblem(AuditProblemKind.ClipDeletionNotLogged, clip.AuditIndex,
                $"clip {clip.Id} ({clip.Path}) is marked deleted but the log has no clip.deleted entry for it");

    private AuditProblem? CheckFile(ClipRow clip, long index)
    {
        if (options.DataDirectory is null)
        {
            return null;
        }
        var root = Path.GetFullPath(options.DataDirectory);
        var full = Path.GetFullPath(Path.Combine(root, clip.Path));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return new AuditProblem(AuditProblemKind.ClipFileMissing, index, $"clip {clip.Id} path '{clip.Path}' leaves the data directory");
        }
        if (!File.Exists(full))
        {
            return new AuditProblem(AuditProblemKind.ClipFileMissing, index, $"clip file {clip.Path} is missing but the clip is not logged as deleted", clip.Sha256, null);
        }
        if (!options.HashClipFiles)
        {
            return null;
        }
        string actual;
        using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        FilesHashed++;
        return actual == clip.Sha256
            ? null
            : new AuditProblem(AuditProblemKind.ClipFileMismatch, index, $"clip file {clip.Path} does not hash to its logged SHA-256", clip.Sha256, actual);
    }

    private sealed record ClipRow(long Id, string Path, long StartMs, long EndMs, string Sha256, string State, long? AuditIndex, string Camera);
}
