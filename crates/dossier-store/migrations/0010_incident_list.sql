-- The incident list's own narrow table, so that filtering, counting and
-- paging 100,000 incidents never reads their documents: per incident, its
-- place in the list (start date, '0000-00-00' when undated, then id), end
-- date, grade, and lowercased texts (title, place and types; place;
-- '|type|type|'). Written with every incident; rows of incidents written
-- before it existed are filled in when the store opens.
CREATE TABLE incident_list (
    id           TEXT PRIMARY KEY,
    sort_date    TEXT NOT NULL,
    date_end     TEXT,
    grade        TEXT NOT NULL,
    search_text  TEXT NOT NULL,
    place_text   TEXT NOT NULL,
    types_text   TEXT NOT NULL
);
CREATE INDEX incident_list_in_order ON incident_list (sort_date, id);
CREATE INDEX incident_list_by_grade ON incident_list (grade, sort_date, id);
