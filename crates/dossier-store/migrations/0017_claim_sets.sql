-- Each extraction of a source's text writes a claim set: the claims rows
-- recorded by one `claims.extracted` log entry (claims.log_seq). Running a
-- newer extractor over a stored source (`dossier reextract`) writes a new
-- set; the earlier one stays, still verifiable against its own entry. A
-- source's current claims are those of its latest set. Rows are never
-- updated or deleted.
CREATE TABLE claim_sets (
    source_id  TEXT NOT NULL REFERENCES sources(id),
    seq        BIGINT NOT NULL,
    PRIMARY KEY (source_id, seq)
);

-- Every source stored before had one extraction: its claims' entry.
INSERT INTO claim_sets (source_id, seq)
SELECT source_id, MAX(log_seq) FROM claims GROUP BY source_id;

-- A source's history (its claim sets, the reviews of them) is read by subject.
CREATE INDEX log_entries_by_subject ON log_entries (subject, action);
