-- Retention off site (Core/Replica/RemoteRetention). A clip's object is deleted from the bucket in three steps, so
-- that a crash anywhere loses no audit entry and writes none twice: this row as 'deleting' (committed before the
-- store is asked), the delete (repeated after a crash: an object already gone is a done delete), then 'deleted'
-- in the transaction that appends its clip.deleted_remote leaf. A delete the store refuses (Object Lock) keeps the
-- row 'deleting' with its error, and is not tried again before retry_ms.
CREATE TABLE replica_deletions (
    clip_id     INTEGER PRIMARY KEY REFERENCES clips(id),
    state       TEXT    NOT NULL CHECK (state IN ('deleting', 'deleted')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    retry_ms    INTEGER,
    deleted_ms  INTEGER,
    CHECK ((state = 'deleted') = (deleted_ms IS NOT NULL))
);

-- Sealed clips that local retention had to delete under disk pressure before the bucket held them (their
-- clip.deleted leaf says "never replicated"); status/replica.json counts them.
CREATE TABLE replica_never_replicated (
    clip_id     INTEGER PRIMARY KEY REFERENCES clips(id),
    deleted_ms  INTEGER NOT NULL
);
