-- The killed range's bounds in the list table, for the timeline's sums
-- (NULL when no source bounds it). The list rows are written again when the
-- store opens, with the new columns.
ALTER TABLE incident_list ADD COLUMN killed_min BIGINT;
ALTER TABLE incident_list ADD COLUMN killed_max BIGINT;
DELETE FROM incident_list;
