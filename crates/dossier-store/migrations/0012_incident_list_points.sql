-- Where an incident is, in the list table, for the map: its place's name and
-- coordinates (NULL when the place has none). The list rows are written again
-- when the store opens, with the new columns.
ALTER TABLE incident_list ADD COLUMN place_name TEXT;
ALTER TABLE incident_list ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE incident_list ADD COLUMN lon DOUBLE PRECISION;
DELETE FROM incident_list;
