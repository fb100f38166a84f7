-- Catalog schema v2: the tamper-evident audit log (RFC 6962 Merkle tree, SHA-256).
-- Append-only by construction (no code path updates or deletes) and, as a second line of defence,
-- by triggers. Hashes are raw 32-byte BLOBs; times are Unix epoch milliseconds (UTC).

-- One row per leaf. `entry` is the canonical JSON of the event (see AuditEntry.Encode);
-- `leaf_hash` = SHA-256(0x00 || entry). `time_ms` repeats the time inside `entry` for range scans;
-- the log stamps non-decreasing times, so "entries since T" is a binary search over idx.
CREATE TABLE audit_entries (
    idx        INTEGER PRIMARY KEY CHECK (idx >= 0),
    time_ms    INTEGER NOT NULL,
    entry      BLOB    NOT NULL,
    leaf_hash  BLOB    NOT NULL CHECK (length(leaf_hash) = 32)
);

-- Every complete subtree above the leaves, stored once as it forms: level L >= 1, index i covers
-- leaves [i*2^L, (i+1)*2^L). An append adds at most log2(n) rows; any root or proof reads O(log n).
CREATE TABLE audit_nodes (
    level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 62),
    idx    INTEGER NOT NULL CHECK (idx >= 0),
    hash   BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note), one per checkpoint made.
CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY,
    tree_size   INTEGER NOT NULL CHECK (tree_size >= 0),
    root_hash   BLOB    NOT NULL CHECK (length(root_hash) = 32),
    created_ms  INTEGER NOT NULL,
    note        TEXT    NOT NULL
);
CREATE INDEX audit_checkpoints_size ON audit_checkpoints(tree_size);

-- Extra signature lines (owners co-signing a checkpoint). The published note is the stored note
-- followed by these lines in id order.
CREATE TABLE audit_cosignatures (
    id             INTEGER PRIMARY KEY,
    checkpoint_id  INTEGER NOT NULL REFERENCES audit_checkpoints(id),
    verifier_key   TEXT    NOT NULL,
    signature_line TEXT    NOT NULL,
    created_ms     INTEGER NOT NULL,
    UNIQUE (checkpoint_id, verifier_key)
);

-- Leaves are dense: the next index is always the current size.
CREATE TRIGGER audit_entries_dense BEFORE INSERT ON audit_entries
WHEN NEW.idx <> (SELECT coalesce(max(idx) + 1, 0) FROM audit_entries)
BEGIN SELECT RAISE(ABORT, 'audit_entries: leaves must be appended at the next index'); END;

CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER audit_nodes_no_update BEFORE UPDATE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
CREATE TRIGGER audit_nodes_no_delete BEFORE DELETE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_cosignatures_no_update BEFORE UPDATE ON audit_cosignatures
BEGIN SELECT RAISE(ABORT, 'audit_cosignatures is append-only'); END;
CREATE TRIGGER audit_cosignatures_no_delete BEFORE DELETE ON audit_cosignatures
BEGIN SELECT RAISE(ABORT, 'audit_cosignatures is append-only'); END;
