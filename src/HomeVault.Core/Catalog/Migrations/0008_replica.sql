-- The off-site replica's progress. The queue itself is the set of sealed clips (state 'complete' or 'truncated')
-- without a 'replicated' row here: a clip enters it in the very transaction that seals it, so no crash can lose
-- one, and a bucket configured later receives the footage already recorded. object_key is opaque (the prefix and
-- an HMAC of the ciphertext hash, see Core/Replica/ReplicaKeys); upload_id is a multipart upload begun and not yet
-- completed, which the next attempt (after a crash too) aborts or completes.
CREATE TABLE replica_clips (
    clip_id         INTEGER PRIMARY KEY REFERENCES clips(id),
    object_key      TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('uploading', 'replicated')),
    upload_id       TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    replicated_ms   INTEGER,
    CHECK ((state = 'replicated') = (replicated_ms IS NOT NULL))
);
