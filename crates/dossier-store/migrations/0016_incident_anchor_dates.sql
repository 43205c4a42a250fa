-- Grouping looks up incidents dated within a day of a report whatever their
-- place (a report that names no place), so anchors are indexed by date too.
CREATE INDEX incidents_by_anchor_start ON incidents (anchor_start);
