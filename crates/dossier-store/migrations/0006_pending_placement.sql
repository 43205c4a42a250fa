-- Sources ingested but not yet placed into incidents. Written in the same
-- transaction as the ingest and removed in the same transaction as the
-- placement, so a crash between the two is finished on the next start.
CREATE TABLE pending_placement (
    source_id  TEXT PRIMARY KEY REFERENCES sources(id)
);
