-- Releases: the package built for an approved request, handed to its recipient by a capability token.
-- Only the token's SHA-256 is stored (the token itself is shown once), so a catalog copy cannot download.
-- A release is active until it is revoked or expires; then its files are deleted and the row stays as record.

CREATE TABLE releases (
    request_id      TEXT    PRIMARY KEY REFERENCES requests(id),
    directory       TEXT    NOT NULL,
    tar_path        TEXT    NOT NULL,
    token_sha256    TEXT    NOT NULL UNIQUE CHECK (length(token_sha256) = 64 AND token_sha256 NOT GLOB '*[^0-9a-f]*'),
    manifest_sha256 TEXT    NOT NULL CHECK (length(manifest_sha256) = 64 AND manifest_sha256 NOT GLOB '*[^0-9a-f]*'),
    built_ms        INTEGER NOT NULL,
    expires_ms      INTEGER NOT NULL CHECK (expires_ms > built_ms),
    state           TEXT    NOT NULL CHECK (state IN ('active', 'revoked', 'expired')),
    ended_ms        INTEGER CHECK ((state = 'active') = (ended_ms IS NULL)),
    clips           INTEGER NOT NULL CHECK (clips >= 0),
    bytes           INTEGER NOT NULL CHECK (bytes >= 0),
    downloads       INTEGER NOT NULL DEFAULT 0 CHECK (downloads >= 0),
    audit_index     INTEGER NOT NULL
);
CREATE INDEX releases_active_expiry ON releases(expires_ms) WHERE state = 'active';

-- An ended release never comes back, and what was built is never rewritten.
CREATE TRIGGER releases_state_transition BEFORE UPDATE OF state ON releases
WHEN NOT (OLD.state = NEW.state OR (OLD.state = 'active' AND NEW.state IN ('revoked', 'expired')))
BEGIN
    SELECT RAISE(ABORT, 'invalid release state transition');
END;

CREATE TRIGGER releases_immutable BEFORE UPDATE OF request_id, directory, tar_path, token_sha256, manifest_sha256,
    built_ms, expires_ms, clips, bytes, audit_index ON releases
BEGIN
    SELECT RAISE(ABORT, 'a built release is immutable');
END;

CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
BEGIN
    SELECT RAISE(ABORT, 'release rows are kept as the record of a disclosure');
END;
