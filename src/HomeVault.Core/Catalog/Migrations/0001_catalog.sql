-- Catalog schema v1. Times are Unix epoch milliseconds (UTC). Camera URLs and credentials are
-- deliberately absent: they live in configuration and credential files, never in the catalog.

CREATE TABLE owners (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    age_recipient       TEXT    NOT NULL UNIQUE,
    minisign_public_key TEXT    NOT NULL UNIQUE,
    created_ms          INTEGER NOT NULL,
    removed_ms          INTEGER
);

CREATE TABLE cameras (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    created_ms  INTEGER NOT NULL
);

-- One row per connection to a camera: from connect to disconnect, with why it ended.
CREATE TABLE recording_runs (
    id          INTEGER PRIMARY KEY,
    camera_id   INTEGER NOT NULL REFERENCES cameras(id),
    started_ms  INTEGER NOT NULL,
    ended_ms    INTEGER,
    end_reason  TEXT,
    CHECK (ended_ms IS NULL OR ended_ms >= started_ms)
);
CREATE INDEX recording_runs_camera ON recording_runs(camera_id, started_ms);

-- A sealed clip file. `path` is relative to the data directory; `sha256` is of the ciphertext file.
-- A clip being written has state 'recording' (no hash yet) and its end_ms/bytes advance with each
-- fsync, so that after a crash the next start knows what was durably written.
CREATE TABLE clips (
    id                INTEGER PRIMARY KEY,
    camera_id         INTEGER NOT NULL REFERENCES cameras(id),
    run_id            INTEGER REFERENCES recording_runs(id),
    path              TEXT    NOT NULL UNIQUE,
    start_ms          INTEGER NOT NULL,
    end_ms            INTEGER NOT NULL,
    plaintext_bytes   INTEGER NOT NULL CHECK (plaintext_bytes >= 0),
    ciphertext_bytes  INTEGER NOT NULL CHECK (ciphertext_bytes >= 0),
    sha256            TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    state             TEXT    NOT NULL CHECK (state IN ('recording', 'complete', 'truncated', 'deleted')),
    audit_index       INTEGER,
    deleted_ms        INTEGER,
    delete_reason     TEXT,
    CHECK (end_ms >= start_ms),
    CHECK ((state = 'recording') = (sha256 IS NULL))
);
CREATE INDEX clips_camera_time ON clips(camera_id, start_ms);
CREATE UNIQUE INDEX clips_audit_index ON clips(audit_index) WHERE audit_index IS NOT NULL;

-- Clip rows are the record of what was recorded: kept after deletion (state 'deleted'), never
-- removed, and never turned back into a clip being written.
CREATE TRIGGER clips_no_delete BEFORE DELETE ON clips
BEGIN SELECT RAISE(ABORT, 'clips rows are kept for the record; mark them deleted'); END;
CREATE TRIGGER clips_no_unseal BEFORE UPDATE OF state ON clips
WHEN OLD.state <> 'recording' AND NEW.state = 'recording'
BEGIN SELECT RAISE(ABORT, 'a sealed clip cannot return to recording'); END;
CREATE INDEX clips_time ON clips(start_ms);

-- A stretch with no footage for a camera and why (connect failure, stall, crash, shutdown).
CREATE TABLE gaps (
    id          INTEGER PRIMARY KEY,
    camera_id   INTEGER NOT NULL REFERENCES cameras(id),
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER,
    cause       TEXT    NOT NULL
);
CREATE INDEX gaps_camera_time ON gaps(camera_id, start_ms);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
