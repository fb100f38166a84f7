using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// Recomputes the audit log from the database and reports the first inconsistency: in one pass in
/// index order it re-hashes every entry from its canonical bytes, rebuilds every complete subtree
/// and compares it with the stored one, and checks every checkpoint's root (recomputed, not read)
/// and signatures when the pass reaches its size. Then it ties each clips row to its leaf and each
/// live clip file to its hash, and each run and gap row to its leaves, all both ways. Memory stays
/// O(log n) plus one small key per logged deletion and one index per clip, run and gap leaf.
/// Everything runs in one read transaction, so the service may keep appending meanwhile; the files
/// under clips/ that the catalog does not know are looked for after it (see <see cref="UnknownClipFiles"/>).
/// </summary>
public static class AuditVerifier
{
    public static AuditVerificationReport Verify(SqliteConnection connection, NoteVerifier logKey, string origin, AuditVerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logKey);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        options ??= new AuditVerifyOptions();
        var clock = Stopwatch.StartNew();
        using var tx = connection.BeginTransaction(deferred: true);
        var store = new AuditStore(connection);
        var pass = new TreePass(store, tx, logKey, origin, options);
        var problem = pass.Run();
        var clips = 0;
        var hashed = 0;
        var runs = 0;
        var gaps = 0;
        if (problem is null)
        {
            var checker = new AuditClipChecker(store, tx, pass.Size, pass.DeletionKeys, options);
            problem = checker.Run() ?? checker.CheckLeavesHaveRows(pass.ClipLeaves);
            clips = checker.Clips;
            hashed = checker.FilesHashed;
        }
        if (problem is null)
        {
            var checker = new AuditRunChecker(store, tx, pass.Size);
            problem = checker.Run(pass.RunLeaves);
            runs = checker.Runs;
            gaps = checker.Gaps;
        }
        tx.Commit();
        var unknown = options.DataDirectory is null ? [] : UnknownClipFiles.Find(connection, new DataDirectory(options.DataDirectory));
        var counts = new AuditVerificationCounts(pass.Size, pass.Nodes, pass.Checkpoints, pass.Cosignatures, clips, hashed, runs, gaps);
        return new AuditVerificationReport(problem, counts, clock.Elapsed, unknown);
    }

    /// <summary>The key a clip.deleted entry is remembered under: 16 bytes of SHA-256(path \0 sha256).</summary>
    internal static Int128 DeletionKey(string path, string sha256) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt128LittleEndian(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path + "\0" + sha256)));

    private sealed class TreePass(AuditStore store, SqliteTransaction tx, NoteVerifier logKey, string origin, AuditVerifyOptions options)
    {
        private readonly List<(int Level, byte[] Hash)> _frontier = [];
        private readonly List<SqliteCommand> _commands = [];
        private readonly List<SqliteDataReader> _levels = [];

        public long Size { get; private set; }

        public long Nodes { get; private set; }

        public int Checkpoints { get; private set; }

        public int Cosignatures { get; private set; }

        public HashSet<Int128> DeletionKeys { get; } = [];

        /// <summary>Every clip.sealed / clip.truncated leaf (index, clip path): each must still have its catalog row.</summary>
        public List<(long Index, string Path)> ClipLeaves { get; } = [];

        /// <summary>Every run.started, run.ended and gap leaf: each must still have the row that names it.</summary>
        public List<(long Index, string Action)> RunLeaves { get; } = [];

        public AuditProblem? Run()
        {
            try
            {
                return RunCore();
            }
            finally
            {
                foreach (var r in _levels)
                {
                    r.Dispose();
                }
                foreach (var c in _commands)
                {
                    c.Dispose();
                }
            }
        }

        private AuditProblem? RunCore()
        {
            var checkpoints = store.AllCheckpoints(tx);
            for (var i = 1; i < checkpoints.Count; i++)
            {
                if (checkpoints[i].TreeSize < checkpoints[i - 1].TreeSize)
                {
                    return new AuditProblem(AuditProblemKind.CheckpointMismatch, null,
                        $"checkpoint {checkpoints[i].Id} is smaller than the one before it",
                        $">= {checkpoints[i - 1].TreeSize}", checkpoints[i].TreeSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            var bySize = checkpoints.ToLookup(c => c.TreeSize);
            if (CheckCheckpoints(bySize[0], MerkleHash.EmptyRoot()) is { } empty)
            {
                return empty;
            }
            using var cmd = store.Command(tx, "SELECT idx, time_ms, entry, leaf_hash FROM audit_entries ORDER BY idx");
            using var r = cmd.ExecuteReader();
            long previousTime = long.MinValue;
            while (r.Read())
            {
                var index = Size;
                var storedIndex = r.GetInt64(0);
                if (storedIndex != index)
                {
                    return new AuditProblem(AuditProblemKind.EntryMissing, index, "entry row is missing (indexes must be dense)", Str(index), Str(storedIndex));
                }
                // Typed reads would throw on a hand edit that changed a column's type; that is a finding, not a crash.
                if (r.GetValue(1) is not long timeMs)
                {
                    return new AuditProblem(AuditProblemKind.EntryMalformed, index, "time column is not an integer (edited by hand?)");
                }
                if (r.GetValue(2) is not byte[] bytes)
                {
                    return new AuditProblem(AuditProblemKind.EntryMalformed, index, "entry column is not a BLOB (edited by hand?)");
                }
                var storedLeaf = r.GetValue(3) as byte[];
                var entry = AuditEntry.TryDecode(index, bytes, out var error);
                if (entry is null)
                {
                    return new AuditProblem(AuditProblemKind.EntryMalformed, index, error ?? "entry does not decode");
                }
                if (entry.TimeMs != timeMs)
                {
                    return new AuditProblem(AuditProblemKind.EntryTimeMismatch, index, "time column differs from the time inside the entry", Str(entry.TimeMs), Str(timeMs));
                }
                if (timeMs < previousTime)
                {
                    return new AuditProblem(AuditProblemKind.EntryTimeWentBackwards, index, "entry is stamped earlier than the one before it (rows reordered?)", $">= {previousTime}", Str(timeMs));
                }
                previousTime = timeMs;
                var leaf = entry.LeafHash.ToArray();
                if (storedLeaf is null || !CryptographicOperations.FixedTimeEquals(leaf, storedLeaf))
                {
                    return new AuditProblem(AuditProblemKind.LeafHashMismatch, index, "stored leaf hash differs from SHA-256(0x00 || entry)", B64(leaf), B64(storedLeaf));
                }
                if (entry.Event.Action is AuditActions.ClipSealed or AuditActions.ClipTruncated)
                {
                    ClipLeaves.Add((index, entry.Event.Subject));
                }
                if (entry.Event.Action is AuditActions.RunStarted or AuditActions.RunEnded or AuditActions.Gap)
                {
                    RunLeaves.Add((index, entry.Event.Action));
                }
                if (entry.Event.Action == AuditActions.ClipDeleted && entry.Event.Details.TryGetValue("sha256", out var sha))
                {
                    DeletionKeys.Add(DeletionKey(entry.Event.Subject, sha));
                }
                if (AddLeaf(index, leaf) is { } nodeProblem)
                {
                    return nodeProblem;
                }
                Size = index + 1;
                var here = bySize[Size];
                if (here.Any() && CheckCheckpoints(here, FrontierRoot()) is { } cpProblem)
                {
                    return cpProblem;
                }
            }
            foreach (var cp in checkpoints.Where(c => c.TreeSize > Size))
            {
                return new AuditProblem(AuditProblemKind.CheckpointBeyondLog, Size,
                    $"checkpoint {cp.Id} covers more entries than the log holds (entries deleted?)", Str(cp.TreeSize), Str(Size));
            }
            return LeftoverNodes();
        }

        // Pushes a recomputed leaf; compares each subtree it completes with the stored row.
        private AuditProblem? AddLeaf(long index, byte[] leaf)
        {
            var hash = leaf;
            var level = 0;
            var i = index;
            while ((i & 1) == 1)
            {
                hash = MerkleHash.Node(_frontier[^1].Hash, hash);
                _frontier.RemoveAt(_frontier.Count - 1);
                level++;
                i >>= 1;
                if (CompareNode(level, i, hash, index) is { } problem)
                {
                    return problem;
                }
            }
            _frontier.Add((level, hash));
            return null;
        }

        private AuditProblem? CompareNode(int level, long index, byte[] expected, long leafIndex)
        {
            while (_levels.Count < level)
            {
                var cmd = store.Command(tx, "SELECT idx, hash FROM audit_nodes WHERE level = $l ORDER BY idx");
                cmd.Parameters.AddWithValue("$l", _levels.Count + 1);
                _commands.Add(cmd);
                _levels.Add(cmd.ExecuteReader());
            }
            var reader = _levels[level - 1];
            var what = $"subtree hash at level {level} index {index} (leaves {index << level}..{((index + 1) << level) - 1})";
            if (!reader.Read())
            {
                return new AuditProblem(AuditProblemKind.NodeMissing, leafIndex, what + " is missing", B64(expected), null);
            }
            var storedIndex = reader.GetInt64(0);
            if (storedIndex != index)
            {
                return storedIndex > index
                    ? new AuditProblem(AuditProblemKind.NodeMissing, leafIndex, what + " is missing", B64(expected), $"next stored index {storedIndex}")
                    : new AuditProblem(AuditProblemKind.UnexpectedNode, leafIndex, $"unexpected subtree row at level {level} index {storedIndex}", Str(index), Str(storedIndex));
            }
            var stored = reader.GetValue(1) as byte[];
            Nodes++;
            return stored is not null && CryptographicOperations.FixedTimeEquals(stored, expected)
                ? null
                : new AuditProblem(AuditProblemKind.NodeMismatch, leafIndex, what + " differs from the recomputed one", B64(expected), B64(stored));
        }

        private byte[] FrontierRoot()
        {
            var root = _frontier[^1].Hash;
            for (var i = _frontier.Count - 2; i >= 0; i--)
            {
                root = MerkleHash.Node(_frontier[i].Hash, root);
            }
            return root;
        }

        private AuditProblem? LeftoverNodes()
        {
            for (var level = 1; level <= _levels.Count; level++)
            {
                if (_levels[level - 1].Read())
                {
                    return new AuditProblem(AuditProblemKind.UnexpectedNode, Size,
                        $"subtree row at level {level} index {_levels[level - 1].GetInt64(0)} lies beyond the log's {Size} entries");
                }
            }
            using var cmd = store.Command(tx, "SELECT level, idx FROM audit_nodes WHERE level > $l ORDER BY level, idx LIMIT 1");
            cmd.Parameters.AddWithValue("$l", _levels.Count);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new AuditProblem(AuditProblemKind.UnexpectedNode, Size, $"subtree row at level {r.GetInt64(0)} index {r.GetInt64(1)} lies beyond the log's {Size} entries")
                : null;
        }

        private AuditProblem? CheckCheckpoints(IEnumerable<StoredCheckpoint> stored, byte[] root)
        {
            foreach (var cp in stored)
            {
                if (CheckCheckpoint(cp, root) is { } problem)
                {
                    return problem;
                }
                Checkpoints++;
            }
            return null;
        }

        private AuditProblem? CheckCheckpoint(StoredCheckpoint cp, byte[] root)
        {
            var at = cp.TreeSize == 0 ? (long?)null : cp.TreeSize - 1;
            var opened = SignedNote.Open(cp.Note, [logKey]);
            if (!opened.Ok || opened.Unverified.Count > 0)
            {
                return new AuditProblem(AuditProblemKind.CheckpointSignatureInvalid, at,
                    $"checkpoint {cp.Id} does not verify with the log key: {opened.Error ?? "it carries a foreign signature"}");
            }
            var parsed = Checkpoint.TryParse(opened.Text);
            if (parsed is null)
            {
                return new AuditProblem(AuditProblemKind.CheckpointMalformed, at, $"checkpoint {cp.Id} is not a tlog checkpoint");
            }
            if (parsed.Origin != origin)
            {
                return new AuditProblem(AuditProblemKind.CheckpointMismatch, at, $"checkpoint {cp.Id} names another log", origin, parsed.Origin);
            }
            if (parsed.Size != cp.TreeSize)
            {
                return new AuditProblem(AuditProblemKind.CheckpointMismatch, at, $"checkpoint {cp.Id} size column differs from its signed size", Str(parsed.Size), Str(cp.TreeSize));
            }
            if (!CryptographicOperations.FixedTimeEquals(parsed.Root, cp.RootHash))
            {
                return new AuditProblem(AuditProblemKind.CheckpointMismatch, at, $"checkpoint {cp.Id} root column differs from its signed root", B64(parsed.Root), B64(cp.RootHash));
            }
            if (!CryptographicOperations.FixedTimeEquals(parsed.Root, root))
            {
                return new AuditProblem(AuditProblemKind.CheckpointMismatch, at,
                    $"checkpoint {cp.Id} signed a root the log's first {cp.TreeSize} entries no longer hash to", B64(parsed.Root), B64(root));
            }
            foreach (var (key, line) in cp.Cosignatures)
            {
                var cosigner = NoteVerifier.TryParse(key);
                var trusted = cosigner is not null && (options.TrustedCosigners is null ||
                    options.TrustedCosigners.Any(t => t.VerifierKey == cosigner.VerifierKey));
                var check = cosigner is null ? null : SignedNote.Open(cp.Note + line + "\n", [cosigner]);
                if (!trusted || check is null || !check.Ok || !check.Verified.Any(s => s.Name == cosigner!.Name && s.KeyHash == cosigner.KeyHash))
                {
                    return new AuditProblem(AuditProblemKind.CosignatureInvalid, at,
                        $"co-signature on checkpoint {cp.Id} by '{key}' is {(trusted ? "invalid" : "not by a trusted owner key")}");
                }
                Cosignatures++;
            }
            return null;
        }
    }

    internal static string Str(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string B64(byte[]? value) => value is null ? "(none)" : Convert.ToBase64String(value);
}
