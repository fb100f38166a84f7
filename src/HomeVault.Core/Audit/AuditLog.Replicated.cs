using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

public sealed partial class AuditLog
{
    /// <summary>The number of entries, read inside <paramref name="tx"/>.</summary>
    internal long Size(SqliteTransaction tx) => _store.Tail(tx).Size;

    /// <summary>
    /// Appends a segment of another copy of this log (the replica's): entries from index <paramref name="first"/>, then
    /// the signed checkpoint that covers them. Entries the log already holds must be the same bytes; the rest are
    /// appended, and the tree they make must have the checkpoint's root, which this log's key must have signed.
    /// Returns the log's size before the segment (entries from there on are new).
    /// </summary>
    /// <exception cref="AuditException">A gap before the segment, an entry that differs, a checkpoint not signed by
    /// this log's key or whose root the entries do not rebuild.</exception>
    internal long AppendReplicated(SqliteTransaction tx, long first, IReadOnlyList<byte[]> entries, string checkpointNote, long createdMs)
    {
        var checkpoint = SignedCheckpoint.TryOpen(checkpointNote, Verifier, null, out var error)
            ?? throw new AuditException($"the checkpoint of the segment at {first} does not verify with this log's key: {error}");
        if (checkpoint.Checkpoint.Origin != Origin)
        {
            throw new AuditException($"the segment at {first} is of log '{checkpoint.Checkpoint.Origin}', not '{Origin}'");
        }
        var before = _store.Tail(tx).Size;
        if (first > before)
        {
            throw new AuditException($"the log holds {before} entries but the next segment starts at {first}: entries {before}..{first - 1} are missing");
        }
        var fresh = new List<(long, byte[])>();
        for (var i = 0; i < entries.Count; i++)
        {
            var index = first + i;
            var decoded = AuditEntry.TryDecode(index, entries[i], out var bad) ?? throw new AuditException($"entry {index} of the segment does not decode: {bad}");
            if (index >= before)
            {
                fresh.Add((decoded.TimeMs, entries[i]));
            }
            else if (!CryptographicOperations.FixedTimeEquals(_store.Node(tx, 0, index), decoded.LeafHash.Span))
            {
                throw new AuditException($"entry {index} of the segment differs from the log's");
            }
        }
        if (fresh.Count > 0)
        {
            AppendEncoded(tx, fresh);
        }
        var size = _store.Tail(tx).Size;
        if (checkpoint.Size > size)
        {
            throw new AuditException($"the segment's checkpoint covers {checkpoint.Size} entries, its entries end at {size}");
        }
        byte[] root;
        using (var nodes = new SqliteNodeSource(_store, tx))
        {
            root = MerkleProofs.Root(nodes, checkpoint.Size);
        }
        if (!CryptographicOperations.FixedTimeEquals(root, checkpoint.Checkpoint.Root))
        {
            throw new AuditException($"the entries do not rebuild the segment's signed checkpoint at {checkpoint.Size}");
        }
        if (!_store.AllCheckpoints(tx).Any(c => c.Note == checkpointNote))
        {
            _store.InsertCheckpoint(tx, checkpoint.Size, root, createdMs, checkpointNote);
        }
        return before;
    }
}
