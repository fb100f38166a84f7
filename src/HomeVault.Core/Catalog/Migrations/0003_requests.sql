-- Access requests ("warrants"), owner approvals and decisions. Times are Unix epoch milliseconds (UTC).
-- A request row is immutable except for its state and the approved scope set once when quorum is met;
-- approvals and decisions are append-only. Valid state transitions are enforced here by triggers and
-- again in code (RequestStates), so neither a bug nor a hand-edited query can skip owner approval.

CREATE TABLE requests (
    id                      TEXT    PRIMARY KEY
                                    CHECK (length(id) = 30 AND substr(id, 1, 4) = 'req_'
                                           AND substr(id, 5) NOT GLOB '*[^a-z2-7]*'),
    state                   TEXT    NOT NULL
                                    CHECK (state IN ('pending', 'approved', 'denied', 'preserved',
                                                     'released', 'revoked', 'expired', 'closed')),
    received_ms             INTEGER NOT NULL,
    updated_ms              INTEGER NOT NULL,
    canonical_json          TEXT    NOT NULL,
    digest                  TEXT    NOT NULL CHECK (length(digest) = 64 AND digest NOT GLOB '*[^0-9a-f]*'),
    requester_organization  TEXT    NOT NULL,
    requester_contact       TEXT    NOT NULL,
    requester_recipient     TEXT    NOT NULL CHECK (substr(requester_recipient, 1, 4) = 'age1'),
    legal_type              TEXT    NOT NULL
                                    CHECK (legal_type IN ('search-warrant', 'court-order', 'subpoena',
                                                          'emergency', 'preservation', 'voluntary')),
    legal_reference         TEXT,
    legal_issued_by         TEXT,
    legal_issued_on         TEXT,
    legal_expires_on        TEXT,
    scope_from_ms           INTEGER NOT NULL,
    scope_to_ms             INTEGER NOT NULL,
    purpose                 TEXT    NOT NULL,
    document_sha256         TEXT    CHECK (document_sha256 IS NULL OR length(document_sha256) = 64),
    document_path           TEXT,
    document_bytes          INTEGER CHECK (document_bytes IS NULL OR document_bytes > 0),
    -- Set once, when k distinct owners have signed the same approval statement.
    approved_statement_sha256 TEXT  CHECK (approved_statement_sha256 IS NULL OR length(approved_statement_sha256) = 64),
    approved_cameras        TEXT,
    approved_from_ms        INTEGER,
    approved_to_ms          INTEGER,
    strip_audio             INTEGER CHECK (strip_audio IS NULL OR strip_audio IN (0, 1)),
    release_expires_ms      INTEGER,
    CHECK (scope_to_ms > scope_from_ms),
    CHECK (legal_type NOT IN ('search-warrant', 'court-order', 'subpoena')
           OR (legal_reference IS NOT NULL AND legal_issued_by IS NOT NULL)),
    CHECK ((document_sha256 IS NULL) = (document_path IS NULL) AND (document_sha256 IS NULL) = (document_bytes IS NULL)),
    -- The approved scope is all there or all absent, and lies inside the requested one.
    CHECK ((approved_statement_sha256 IS NULL) = (approved_from_ms IS NULL)
           AND (approved_from_ms IS NULL) = (approved_to_ms IS NULL)
           AND (approved_from_ms IS NULL) = (approved_cameras IS NULL)
           AND (approved_from_ms IS NULL) = (strip_audio IS NULL)
           AND (approved_from_ms IS NULL) = (release_expires_ms IS NULL)),
    CHECK (approved_from_ms IS NULL
           OR (approved_from_ms >= scope_from_ms AND approved_to_ms <= scope_to_ms AND approved_to_ms > approved_from_ms)),
    -- Approval-bearing states need the approved scope.
    CHECK (state NOT IN ('approved', 'preserved', 'released') OR approved_from_ms IS NOT NULL),
    -- A preservation request only ever holds footage: it is 'preserved', never 'approved' or 'released'.
    CHECK (legal_type <> 'preservation' OR state NOT IN ('approved', 'released')),
    CHECK (legal_type = 'preservation' OR state <> 'preserved')
);
CREATE INDEX requests_state ON requests(state);
CREATE INDEX requests_digest ON requests(digest);

-- The requested cameras (names as in `cameras.name`; kept as text so a request outlives a renamed camera).
CREATE TABLE request_cameras (
    request_id  TEXT NOT NULL REFERENCES requests(id),
    camera      TEXT NOT NULL CHECK (length(camera) BETWEEN 1 AND 64),
    PRIMARY KEY (request_id, camera)
) WITHOUT ROWID;
CREATE INDEX request_cameras_camera ON request_cameras(camera);

-- One row per owner signature over an approval statement; only verified signatures are stored.
CREATE TABLE request_approvals (
    id                  INTEGER PRIMARY KEY,
    request_id          TEXT    NOT NULL REFERENCES requests(id),
    owner_id            INTEGER NOT NULL REFERENCES owners(id),
    statement           TEXT    NOT NULL,
    statement_sha256    TEXT    NOT NULL CHECK (length(statement_sha256) = 64),
    signature           TEXT    NOT NULL,
    approved_cameras    TEXT    NOT NULL,
    approved_from_ms    INTEGER NOT NULL,
    approved_to_ms      INTEGER NOT NULL CHECK (approved_to_ms > approved_from_ms),
    strip_audio         INTEGER NOT NULL CHECK (strip_audio IN (0, 1)),
    release_expires_ms  INTEGER NOT NULL,
    signed_ms           INTEGER NOT NULL,
    UNIQUE (request_id, owner_id, statement_sha256)
);

-- Every state change with who made it and why; a denial must carry its reason and owner.
CREATE TABLE request_decisions (
    id          INTEGER PRIMARY KEY,
    request_id  TEXT    NOT NULL REFERENCES requests(id),
    from_state  TEXT,
    to_state    TEXT    NOT NULL,
    owner_id    INTEGER REFERENCES owners(id),
    reason      TEXT    CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 2000),
    decided_ms  INTEGER NOT NULL,
    CHECK (to_state <> 'denied' OR (owner_id IS NOT NULL AND reason IS NOT NULL AND length(trim(reason)) > 0))
);
CREATE INDEX request_decisions_request ON request_decisions(request_id, id);

CREATE TRIGGER requests_state_transition BEFORE UPDATE OF state ON requests
WHEN NOT (OLD.state = NEW.state
    OR (OLD.state = 'pending'   AND NEW.state IN ('approved', 'preserved', 'denied', 'expired', 'closed'))
    OR (OLD.state = 'approved'  AND NEW.state IN ('released', 'revoked', 'expired', 'closed'))
    OR (OLD.state = 'preserved' AND NEW.state IN ('revoked', 'expired', 'closed'))
    OR (OLD.state = 'released'  AND NEW.state IN ('revoked', 'expired', 'closed'))
    OR (OLD.state IN ('denied', 'revoked', 'expired') AND NEW.state = 'closed'))
BEGIN
    SELECT RAISE(ABORT, 'invalid request state transition');
END;

CREATE TRIGGER requests_immutable BEFORE UPDATE OF id, received_ms, canonical_json, digest, requester_organization,
    requester_contact, requester_recipient, legal_type, legal_reference, legal_issued_by, legal_issued_on,
    legal_expires_on, scope_from_ms, scope_to_ms, purpose ON requests
BEGIN
    SELECT RAISE(ABORT, 'an access request is immutable once received');
END;

CREATE TRIGGER requests_document_once BEFORE UPDATE OF document_sha256, document_path, document_bytes ON requests
WHEN OLD.document_sha256 IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a request document is attached once');
END;

CREATE TRIGGER requests_approval_once BEFORE UPDATE OF approved_statement_sha256, approved_cameras, approved_from_ms,
    approved_to_ms, strip_audio, release_expires_ms ON requests
WHEN OLD.approved_statement_sha256 IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the approved scope of a request is set once');
END;

CREATE TRIGGER requests_no_delete BEFORE DELETE ON requests
BEGIN
    SELECT RAISE(ABORT, 'access requests are never deleted');
END;

CREATE TRIGGER request_cameras_no_change BEFORE UPDATE ON request_cameras
BEGIN
    SELECT RAISE(ABORT, 'request cameras are immutable');
END;

CREATE TRIGGER request_cameras_no_delete BEFORE DELETE ON request_cameras
BEGIN
    SELECT RAISE(ABORT, 'request cameras are immutable');
END;

CREATE TRIGGER request_approvals_only_pending BEFORE INSERT ON request_approvals
WHEN (SELECT state FROM requests WHERE id = NEW.request_id) IS NOT 'pending'
    OR (SELECT removed_ms FROM owners WHERE id = NEW.owner_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'only an active owner can sign, and only for a pending request');
END;

CREATE TRIGGER request_approvals_no_change BEFORE UPDATE ON request_approvals
BEGIN
    SELECT RAISE(ABORT, 'approvals are append-only');
END;

CREATE TRIGGER request_approvals_no_delete BEFORE DELETE ON request_approvals
BEGIN
    SELECT RAISE(ABORT, 'approvals are append-only');
END;

CREATE TRIGGER request_decisions_no_change BEFORE UPDATE ON request_decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are append-only');
END;

CREATE TRIGGER request_decisions_no_delete BEFORE DELETE ON request_decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions are append-only');
END;
