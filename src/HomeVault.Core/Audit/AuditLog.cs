using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// The append-only audit log in the catalog database: leaves, their complete subtrees, signed
/// checkpoints and proofs. An append writes one entry row and at most log2(n) node rows; roots
/// and proofs read O(log n) rows. The log key signs checkpoints; owners may co-sign them.
/// Not thread-safe (neither is its SqliteConnection): one instance per connection.
/// </summary>
public sealed partial class AuditLog
{
    /// <summary>A checkpoint is due when entries arrived and the last checkpoint is at least this old.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromMinutes(1);

    private readonly AuditStore _store;
    private readonly NoteSigner _key;
    private readonly TimeProvider _time;

    /// <param name="connection">An open catalog (migrated to include 0002_audit).</param>
    /// <param name="logKey">The service key that signs checkpoints (see <see cref="AuditKeyFile"/>).</param>
    /// <param name="origin">The checkpoint origin line, e.g. "homevault.local/&lt;install-id&gt;".</param>
    /// <param name="time">The clock for entry times and checkpoint policy; the system clock when null.</param>
    public AuditLog(SqliteConnection connection, NoteSigner logKey, string origin, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logKey);
        _ = new Checkpoint(origin, 0, MerkleHash.EmptyRoot()); // validates the origin line
        _store = new AuditStore(connection);
        _key = logKey;
        _time = time ?? TimeProvider.System;
        Origin = origin;
    }

    public string Origin { get; }

    public NoteVerifier Verifier => _key.Verifier;

    /// <summary>The log's public key in signed-note verifier form (`homevault audit key`).</summary>
    public string VerifierKey => _key.Verifier.VerifierKey;

    /// <summary>Number of leaves.</summary>
    public long Size() => _store.Tail(null).Size;

    /// <summary>
    /// Appends one event in a transaction of its own and returns its leaf index. A leaf that is part of a larger
    /// atomic change (a clip row and its leaf) goes through <see cref="Catalog.CatalogWork.Append"/> instead.
    /// The stamped time never goes backwards, even if the clock does.
    /// </summary>
    public long Append(AuditEvent auditEvent) => Append(auditEvent, null);

    /// <summary>Appends one event inside <paramref name="transaction"/> (a unit of work's), or in one of its own when null.</summary>
    internal long Append(AuditEvent auditEvent, SqliteTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return AppendBatch([auditEvent], transaction);
    }

    /// <summary>Appends events in order within one transaction of its own; returns the index of the first.</summary>
    public long AppendBatch(IReadOnlyList<AuditEvent> events) => AppendBatch(events, null);

    private long AppendBatch(IReadOnlyList<AuditEvent> events, SqliteTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("nothing to append", nameof(events));
        }
        return InTransaction(transaction, tx =>
        {
            var timeMs = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _store.Tail(tx).LastTimeMs);
            return AppendEncoded(tx, [.. events.Select(e =>
            {
                ArgumentNullException.ThrowIfNull(e, nameof(events));
                return (timeMs, AuditEntry.Encode(timeMs, e));
            })]);
        });
    }

    /// <summary>Appends encoded entries (with the time each carries) at the end of the log, with the subtrees they complete; returns the index of the first.</summary>
    private long AppendEncoded(SqliteTransaction tx, IReadOnlyList<(long TimeMs, byte[] Entry)> entries)
    {
        var size = _store.Tail(tx).Size;
        var frontier = LoadFrontier(tx, size);
        using var insertEntry = _store.Command(tx, "INSERT INTO audit_entries (idx, time_ms, entry, leaf_hash) VALUES ($i, $t, $e, $h)");
        var pi = insertEntry.Parameters.Add("$i", SqliteType.Integer);
        var pt = insertEntry.Parameters.Add("$t", SqliteType.Integer);
        var pe = insertEntry.Parameters.Add("$e", SqliteType.Blob);
        var ph = insertEntry.Parameters.Add("$h", SqliteType.Blob);
        using var insertNode = _store.Command(tx, "INSERT INTO audit_nodes (level, idx, hash) VALUES ($l, $i, $h)");
        var nl = insertNode.Parameters.Add("$l", SqliteType.Integer);
        var ni = insertNode.Parameters.Add("$i", SqliteType.Integer);
        var nh = insertNode.Parameters.Add("$h", SqliteType.Blob);
        var first = size;
        foreach (var (timeMs, bytes) in entries)
        {
            var leaf = MerkleHash.Leaf(bytes);
            pi.Value = size;
            pt.Value = timeMs;
            pe.Value = bytes;
            ph.Value = leaf;
            insertEntry.ExecuteNonQuery();
            // Each trailing 1 bit of the index closes one more complete subtree.
            var hash = leaf;
            var index = size;
            var level = 0;
            while ((index & 1) == 1)
            {
                var left = frontier[^1];
                frontier.RemoveAt(frontier.Count - 1);
                hash = MerkleHash.Node(left, hash);
                level++;
                index >>= 1;
                nl.Value = level;
                ni.Value = index;
                nh.Value = hash;
                insertNode.ExecuteNonQuery();
            }
            frontier.Add(hash);
            size++;
        }
        return first;
    }

    // The complete subtrees that make up a tree of `size` leaves, largest (leftmost) first.
    private List<byte[]> LoadFrontier(SqliteTransaction? tx, long size)
    {
        var frontier = new List<byte[]>();
        using var nodes = new SqliteNodeSource(_store, tx);
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) != 0)
            {
                frontier.Add(nodes.GetNode(level, start >> level));
                start += 1L << level;
            }
        }
        return frontier;
    }

    /// <summary>The root hash of the first <paramref name="size"/> leaves.</summary>
    public byte[] RootAt(long size)
    {
        var current = Size();
        if (size < 0 || size > current)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"the log has {current} entries, not {size}");
        }
        using var nodes = new SqliteNodeSource(_store, null);
        return MerkleProofs.Root(nodes, size);
    }

    public AuditEntry GetEntry(long index)
    {
        var row = _store.Entry(null, index) ?? throw new AuditException($"audit log has no entry {index}");
        return Decode(index, row.Entry);
    }

    /// <summary>Up to <paramref name="count"/> entries from <paramref name="fromIndex"/>, in order.</summary>
    public IReadOnlyList<AuditEntry> GetEntries(long fromIndex, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return _store.Entries(null, fromIndex, count).Select(r => Decode(r.Index, r.Entry)).ToList();
    }

    /// <summary>Entries stamped at or after <paramref name="since"/> (`homevault audit log --since`), oldest first.</summary>
    public IReadOnlyList<AuditEntry> EntriesSince(DateTimeOffset since, int limit = 10_000)
    {
        var target = since.ToUnixTimeMilliseconds();
        // Stamps never decrease, so the first entry at or after `since` is found by bisection.
        long lo = 0, hi = Size();
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if ((_store.TimeAt(null, mid) ?? long.MaxValue) >= target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return GetEntries(lo, limit);
    }

    private static AuditEntry Decode(long index, byte[] bytes) =>
        AuditEntry.TryDecode(index, bytes, out var error) ?? throw new AuditException($"audit entry {index} is damaged: {error}");

    /// <summary>
    /// Signs and stores a checkpoint of the whole log now (forced: every disclosure event calls
    /// this). When the latest stored checkpoint already covers the whole log it is returned as is.
    /// </summary>
    public SignedCheckpoint Checkpoint() => Checkpoint(null);

    /// <summary>As <see cref="Checkpoint()"/>, inside <paramref name="transaction"/> (a unit of work's), or in one of its own when null.</summary>
    internal SignedCheckpoint Checkpoint(SqliteTransaction? transaction) => InTransaction(transaction, tx =>
    {
        var size = _store.Tail(tx).Size;
        var latest = _store.Checkpoint(tx, null);
        if (latest is not null && latest.TreeSize == size)
        {
            return ToSigned(latest);
        }
        byte[] root;
        using (var nodes = new SqliteNodeSource(_store, tx))
        {
            root = MerkleProofs.Root(nodes, size);
        }
        var note = SignedNote.Sign(new Checkpoint(Origin, size, root).ToText(), _key);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = _store.InsertCheckpoint(tx, size, root, now, note);
        return ToSigned(new StoredCheckpoint(id, size, root, now, note, []));
    });

    /// <summary>Makes a checkpoint when entries arrived since the last one and it is at least <see cref="CheckpointInterval"/> old.</summary>
    public SignedCheckpoint? CheckpointIfDue() => CheckpointIfDue(_time);

    /// <inheritdoc cref="CheckpointIfDue()"/>
    public SignedCheckpoint? CheckpointIfDue(TimeProvider now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var size = Size();
        var latest = _store.Checkpoint(null, null);
        if (size == 0 || (latest is not null && latest.TreeSize >= size))
        {
            return null;
        }
        if (latest is not null && now.GetUtcNow().ToUnixTimeMilliseconds() - latest.CreatedMs < (long)CheckpointInterval.TotalMilliseconds)
        {
            return null;
        }
        return Checkpoint();
    }

    /// <summary>The most recent checkpoint with all co-signatures (`homevault audit checkpoint`); null before the first.</summary>
    public SignedCheckpoint? LatestCheckpoint() => _store.Checkpoint(null, null) is { } row ? ToSigned(row) : null;

    public SignedCheckpoint? GetCheckpoint(long id) => _store.Checkpoint(null, id) is { } row ? ToSigned(row) : null;

    /// <summary>
    /// Adds <paramref name="cosigner"/>'s Ed25519 signed-note signature to stored checkpoint
    /// <paramref name="checkpointId"/> and returns the note with every signature.
    /// </summary>
    public SignedCheckpoint CoSign(long checkpointId, NoteSigner cosigner)
    {
        ArgumentNullException.ThrowIfNull(cosigner);
        if (cosigner.Name == _key.Name && cosigner.KeyHash == _key.KeyHash)
        {
            throw new ArgumentException("the log key already signs every checkpoint", nameof(cosigner));
        }
        return InTransaction(null, tx =>
        {
            var row = _store.Checkpoint(tx, checkpointId) ?? throw new AuditException($"no checkpoint with id {checkpointId}");
            if (row.Cosignatures.Any(c => c.VerifierKey == cosigner.Verifier.VerifierKey))
            {
                return ToSigned(row);
            }
            var signed = SignedNote.AddSignature(row.FullNote, cosigner);
            var line = signed[row.FullNote.Length..^1];
            _store.InsertCosignature(tx, row.Id, cosigner.Verifier.VerifierKey, line, _time.GetUtcNow().ToUnixTimeMilliseconds());
            return ToSigned(row with { Cosignatures = [.. row.Cosignatures, (cosigner.Verifier.VerifierKey, line)] });
        });
    }

    /// <summary>
    /// Stores a co-signature an owner made elsewhere (their key never touches the server): the
    /// signature line must be a valid signed-note signature by <paramref name="cosigner"/> over
    /// checkpoint <paramref name="checkpointId"/>'s text. Returns null, storing nothing, when it is not.
    /// </summary>
    public SignedCheckpoint? AddCosignature(long checkpointId, NoteVerifier cosigner, string signatureLine)
    {
        ArgumentNullException.ThrowIfNull(cosigner);
        ArgumentNullException.ThrowIfNull(signatureLine);
        var line = signatureLine.TrimEnd('\n');
        if (line.Contains('\n', StringComparison.Ordinal) || (cosigner.Name == _key.Name && cosigner.KeyHash == _key.KeyHash))
        {
            return null;
        }
        return InTransaction(null, tx =>
        {
            var row = _store.Checkpoint(tx, checkpointId) ?? throw new AuditException($"no checkpoint with id {checkpointId}");
            if (row.Cosignatures.Any(c => c.VerifierKey == cosigner.VerifierKey))
            {
                return ToSigned(row);
            }
            var check = SignedNote.Open(row.Note + line + "\n", [cosigner]);
            if (!check.Ok || !check.Verified.Any(v => v.Name == cosigner.Name && v.KeyHash == cosigner.KeyHash))
            {
                return null;
            }
            _store.InsertCosignature(tx, row.Id, cosigner.VerifierKey, line, _time.GetUtcNow().ToUnixTimeMilliseconds());
            return ToSigned(row with { Cosignatures = [.. row.Cosignatures, (cosigner.VerifierKey, line)] });
        });
    }

    /// <summary>RFC 6962 audit path for leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        CheckSize(size);
        using var nodes = new SqliteNodeSource(_store, null);
        return MerkleProofs.Inclusion(nodes, index, size);
    }

    /// <summary>RFC 6962 consistency proof between two sizes of this log.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2)
    {
        CheckSize(size2);
        using var nodes = new SqliteNodeSource(_store, null);
        return MerkleProofs.Consistency(nodes, size1, size2);
    }

    /// <summary>
    /// A C2SP tlog-proof that entry <paramref name="index"/> is in the log (`homevault audit prove`),
    /// against the latest checkpoint, making a checkpoint first when none covers the entry yet.
    /// </summary>
    public TlogProof Prove(long index, ReadOnlyMemory<byte>? extra = null)
    {
        var size = Size();
        if (index < 0 || index >= size)
        {
            throw new AuditException($"audit log has no entry {index} (size {size})");
        }
        var checkpoint = LatestCheckpoint();
        if (checkpoint is null || checkpoint.Size <= index)
        {
            checkpoint = Checkpoint();
        }
        return new TlogProof(index, InclusionProof(index, checkpoint.Size), checkpoint.Note, extra);
    }

    /// <summary>
    /// Checks an old checkpoint someone kept (`homevault audit consistency`): it must be signed by
    /// this log's key, and the current log must contain its tree. Returns a consistency proof to a
    /// current checkpoint, or says plainly that the log does not extend it.
    /// </summary>
    public ConsistencyResult CheckConsistency(string oldCheckpointNote)
    {
        var old = SignedCheckpoint.TryOpen(oldCheckpointNote ?? "", Verifier, null, out var error);
        if (old is null)
        {
            return new ConsistencyResult(ConsistencyStatus.Unverifiable, $"the old checkpoint does not verify with this log's key: {error}", null, null, []);
        }
        if (old.Checkpoint.Origin != Origin)
        {
            return new ConsistencyResult(ConsistencyStatus.WrongOrigin, $"the old checkpoint is for log '{old.Checkpoint.Origin}', this log is '{Origin}'", old, null, []);
        }
        var current = Checkpoint();
        if (old.Size > current.Size)
        {
            return new ConsistencyResult(ConsistencyStatus.DoesNotExtend,
                $"the log does NOT extend the old checkpoint: it showed {old.Size} entries, the log now has {current.Size} (entries were removed)", old, current, []);
        }
        var rootThen = RootAt(old.Size);
        if (!CryptographicOperations.FixedTimeEquals(rootThen, old.Checkpoint.Root))
        {
            return new ConsistencyResult(ConsistencyStatus.DoesNotExtend,
                $"the log does NOT extend the old checkpoint: its first {old.Size} entries now hash to {Convert.ToBase64String(rootThen)}, the checkpoint says {Convert.ToBase64String(old.Checkpoint.Root)} (history was rewritten: a fork)", old, current, []);
        }
        var proof = ConsistencyProof(old.Size, current.Size);
        if (old.Size > 0 && !MerkleProofs.VerifyConsistency(old.Size, current.Size, proof, old.Checkpoint.Root, current.Checkpoint.Root))
        {
            return new ConsistencyResult(ConsistencyStatus.DoesNotExtend,
                $"the log does NOT extend the old checkpoint: no valid consistency proof from size {old.Size} to the current checkpoint at {current.Size} (the stored tree is damaged)", old, current, []);
        }
        return new ConsistencyResult(ConsistencyStatus.Consistent,
            $"consistent: the log at {current.Size} entries extends the old checkpoint at {old.Size}", old, current, proof);
    }

    /// <summary>Recomputes and cross-checks everything (`homevault audit verify`); see <see cref="AuditVerifier"/>.</summary>
    public AuditVerificationReport Verify(AuditVerifyOptions? options = null) => AuditVerifier.Verify(_store.Connection, Verifier, Origin, options);

    private void CheckSize(long size)
    {
        var current = Size();
        if (size < 0 || size > current)
        {
            throw new AuditException($"the log has {current} entries, not {size}");
        }
    }

    private static SignedCheckpoint ToSigned(StoredCheckpoint row)
    {
        var checkpoint = Audit.Checkpoint.TryParse(SignedNote.Split(row.Note).Text)
            ?? throw new AuditException($"stored checkpoint {row.Id} is damaged (run 'homevault audit verify')");
        return new SignedCheckpoint(row.Id, row.CreatedMs, checkpoint, row.FullNote);
    }

    private T InTransaction<T>(SqliteTransaction? transaction, Func<SqliteTransaction, T> body)
    {
        if (transaction is not null)
        {
            if (transaction.Connection != _store.Connection)
            {
                throw new ArgumentException("the transaction belongs to another connection", nameof(transaction));
            }
            return body(transaction);
        }
        // Immediate: the read of the tail and the writes after it must not interleave with another writer.
        using var tx = _store.Connection.BeginTransaction(deferred: false);
        var result = body(tx);
        tx.Commit();
        return result;
    }
}
