-- Requesters: parties the owners allow to submit access requests over HTTP. The bearer token they are given is
-- never stored, only its SHA-256, so a copied catalog cannot be used to submit requests. Revoking keeps the row
-- (requests and audit entries name it). Times are Unix epoch milliseconds (UTC).

CREATE TABLE requesters (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    recipient       TEXT    NOT NULL CHECK (substr(recipient, 1, 4) = 'age1'),
    token_sha256    BLOB    NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    created_ms      INTEGER NOT NULL,
    revoked_ms      INTEGER
);

-- Which requester submitted a request over HTTP (requests submitted at the CLI have no row here).
CREATE TABLE request_requesters (
    request_id      TEXT    PRIMARY KEY REFERENCES requests(id),
    requester_id    INTEGER NOT NULL REFERENCES requesters(id)
);

CREATE TRIGGER requesters_no_delete BEFORE DELETE ON requesters
BEGIN
    SELECT RAISE(ABORT, 'requesters are never deleted, only revoked');
END;
