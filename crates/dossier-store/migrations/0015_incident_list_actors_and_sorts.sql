-- The incident list filters by actor and sorts by toll, by number of sources
-- and by grade: the perpetrators' names (and the fuller names short forms
-- stand for), lower-cased between `|`s; and for each order a key that sorts
-- ascending (the toll and the count negated, unbounded tolls last), so that
-- an index serves every order. The list rows are written again when the
-- store opens, with the new columns.
ALTER TABLE incident_list ADD COLUMN actor_text TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_list ADD COLUMN killed_order BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incident_list ADD COLUMN sources_order BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incident_list ADD COLUMN grade_order BIGINT NOT NULL DEFAULT 0;
DELETE FROM incident_list;
CREATE INDEX incident_list_by_killed ON incident_list (killed_order, sort_date, id);
CREATE INDEX incident_list_by_sources ON incident_list (sources_order, sort_date, id);
CREATE INDEX incident_list_by_grade_order ON incident_list (grade_order, sort_date, id);
