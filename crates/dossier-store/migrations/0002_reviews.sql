-- Human decisions, kept apart from what the machine extracted: claims rows
-- are never updated; a review is a row of its own, recorded by its log entry.

CREATE TABLE reviews (
    seq          BIGINT PRIMARY KEY,
    claim_id     TEXT NOT NULL REFERENCES claims(id),
    action       TEXT NOT NULL,
    value        TEXT,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX reviews_by_claim ON reviews (claim_id, seq);

-- Grouping decisions between two sources' reports: 'together' (same
-- incident) or 'apart' (different incidents). One decision may record
-- several pairs, numbered by ordinal.
CREATE TABLE grouping_decisions (
    seq          BIGINT NOT NULL,
    ordinal      BIGINT NOT NULL,
    action       TEXT NOT NULL,
    source_a     TEXT NOT NULL REFERENCES sources(id),
    source_b     TEXT NOT NULL REFERENCES sources(id),
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (seq, ordinal)
);
