-- Catalog schema v7: each recording run and gap row names the audit leaves that record it, so that
-- `audit verify` ties them to the log both ways, as it ties clips: a row's leaf must say what the row
-- says, and every run.started, run.ended and gap leaf must be named by exactly one row. A NULL leaf
-- column means the row was written without that leaf by design (an open run has no end leaf yet).

ALTER TABLE recording_runs ADD COLUMN start_leaf INTEGER;
ALTER TABLE recording_runs ADD COLUMN end_leaf INTEGER;
ALTER TABLE gaps ADD COLUMN leaf INTEGER;

-- Rows written before v7 get their leaves from the log, whose every entry is read once here. An entry
-- that is not valid JSON (a log edited by hand) is skipped, so the catalog still opens and `audit
-- verify` can name it.
CREATE TEMP TABLE v7_leaves AS
SELECT idx,
       json_extract(t, '$.action')        AS action,
       json_extract(t, '$.subject')       AS subject,
       json_extract(t, '$.details.run')   AS run,
       json_extract(t, '$.details.from')  AS gap_from,
       json_extract(t, '$.details.to')    AS gap_to,
       json_extract(t, '$.details.cause') AS cause
FROM (SELECT idx, CASE WHEN json_valid(CAST(entry AS TEXT)) THEN CAST(entry AS TEXT) END AS t FROM audit_entries)
WHERE t IS NOT NULL AND json_extract(t, '$.action') IN ('run.started', 'run.ended', 'gap');
CREATE INDEX temp.v7_leaves_run ON v7_leaves(action, run);

UPDATE recording_runs SET
    start_leaf = (SELECT min(l.idx) FROM v7_leaves l JOIN cameras c ON c.id = recording_runs.camera_id
                  WHERE l.action = 'run.started' AND l.run = CAST(recording_runs.id AS TEXT) AND l.subject = 'camera/' || c.name),
    end_leaf = (SELECT min(l.idx) FROM v7_leaves l JOIN cameras c ON c.id = recording_runs.camera_id
                WHERE recording_runs.ended_ms IS NOT NULL
                  AND l.action = 'run.ended' AND l.run = CAST(recording_runs.id AS TEXT) AND l.subject = 'camera/' || c.name);

-- Gaps carry no id in their leaf: the n-th row with a camera, from, to and cause takes the n-th such leaf.
CREATE TEMP TABLE v7_gap_rows AS
SELECT g.id, 'camera/' || c.name AS subject, CAST(g.start_ms AS TEXT) AS gap_from, CAST(g.end_ms AS TEXT) AS gap_to, g.cause,
       row_number() OVER (PARTITION BY g.camera_id, g.start_ms, g.end_ms, g.cause ORDER BY g.id) AS n
FROM gaps g JOIN cameras c ON c.id = g.camera_id;
CREATE INDEX temp.v7_gap_rows_id ON v7_gap_rows(id);
CREATE TEMP TABLE v7_gap_leaves AS
SELECT idx, subject, gap_from, gap_to, cause,
       row_number() OVER (PARTITION BY subject, gap_from, gap_to, cause ORDER BY idx) AS n
FROM v7_leaves WHERE action = 'gap';
CREATE INDEX temp.v7_gap_leaves_key ON v7_gap_leaves(subject, gap_from, cause, n);
UPDATE gaps SET leaf = (
    SELECT l.idx FROM v7_gap_rows r JOIN v7_gap_leaves l
        ON l.subject = r.subject AND l.gap_from = r.gap_from AND l.gap_to IS r.gap_to AND l.cause = r.cause AND l.n = r.n
    WHERE r.id = gaps.id);

DROP TABLE temp.v7_gap_leaves;
DROP TABLE temp.v7_gap_rows;
DROP TABLE temp.v7_leaves;

CREATE UNIQUE INDEX recording_runs_start_leaf ON recording_runs(start_leaf) WHERE start_leaf IS NOT NULL;
CREATE UNIQUE INDEX recording_runs_end_leaf ON recording_runs(end_leaf) WHERE end_leaf IS NOT NULL;
CREATE UNIQUE INDEX gaps_leaf ON gaps(leaf) WHERE leaf IS NOT NULL;
