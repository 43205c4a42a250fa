-- A reviewer's move of a claim into another incident: the one holding the
-- target claim's event. A NULL target gives the claim back to the machine's
-- placement. Rows are never updated; the latest move of a claim counts.

CREATE TABLE claim_moves (
    seq          BIGINT PRIMARY KEY,
    claim_id     TEXT NOT NULL REFERENCES claims(id),
    target_id    TEXT REFERENCES claims(id),
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX claim_moves_by_claim ON claim_moves (claim_id, seq);
