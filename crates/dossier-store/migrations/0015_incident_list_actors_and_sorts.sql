-- The incident list filters by actor and sorts by toll and by number of
-- sources: the perpetrators' names (and the fuller names short forms stand
-- for), lower-cased between `|`s, and the number of sources. The list rows
-- are written again when the store opens, with the new columns.
ALTER TABLE incident_list ADD COLUMN actor_text TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_list ADD COLUMN source_count BIGINT NOT NULL DEFAULT 0;
DELETE FROM incident_list;
CREATE INDEX incident_list_by_killed ON incident_list (killed_max, sort_date, id);
CREATE INDEX incident_list_by_sources ON incident_list (source_count, sort_date, id);
