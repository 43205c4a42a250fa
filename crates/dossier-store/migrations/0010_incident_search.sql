-- Columns the incident list filters and pages on in SQL, so that a list of
-- 100,000 incidents reads only the page it shows: the end date, the grade,
-- and lowercased texts (title, place and types; place; '|type|type|').
-- Rows written before this migration are filled in when the store opens.
ALTER TABLE incidents ADD COLUMN date_end TEXT;
ALTER TABLE incidents ADD COLUMN grade TEXT;
ALTER TABLE incidents ADD COLUMN search_text TEXT;
ALTER TABLE incidents ADD COLUMN place_text TEXT;
ALTER TABLE incidents ADD COLUMN types_text TEXT;
CREATE INDEX incidents_by_grade ON incidents (grade);
CREATE INDEX incidents_by_date_end ON incidents (date_end);
