-- Each incident's anchor (its most specific report's place and dates, and
-- the order of its founding report), so that a new report is compared only
-- with the incidents near it. Names are stored lowercased for lookup.
ALTER TABLE incidents ADD COLUMN founded TEXT;
ALTER TABLE incidents ADD COLUMN anchor_place TEXT;
ALTER TABLE incidents ADD COLUMN anchor_admin1 TEXT;
ALTER TABLE incidents ADD COLUMN anchor_country TEXT;
ALTER TABLE incidents ADD COLUMN anchor_start TEXT;
ALTER TABLE incidents ADD COLUMN anchor_end TEXT;
CREATE INDEX incidents_by_anchor_place ON incidents (anchor_place);
CREATE INDEX incidents_by_anchor_admin1 ON incidents (anchor_admin1);
CREATE INDEX incidents_by_anchor_country ON incidents (anchor_country);
CREATE INDEX incidents_by_founded ON incidents (founded);
CREATE INDEX sources_by_ingested_at ON sources (ingested_at);
