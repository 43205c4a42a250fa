-- Dossier's first schema. Migrations are append-only: never edit this file
-- once released; add a new one. Portable SQL for SQLite and PostgreSQL.

CREATE TABLE sources (
    id            TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    byte_len      BIGINT NOT NULL,
    title         TEXT,
    url           TEXT,
    source_type   TEXT NOT NULL,
    publisher     TEXT,
    published     TEXT,
    author        TEXT,
    language      TEXT,
    note          TEXT,
    body          TEXT NOT NULL,
    ingested_at   TEXT NOT NULL,
    log_seq       BIGINT NOT NULL
);

CREATE TABLE claims (
    id              TEXT PRIMARY KEY,
    source_id       TEXT NOT NULL REFERENCES sources(id),
    ordinal         BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    span_start      BIGINT NOT NULL,
    span_end        BIGINT NOT NULL,
    sentence_start  BIGINT NOT NULL,
    sentence_end    BIGINT NOT NULL,
    text            TEXT NOT NULL,
    according_to    TEXT NOT NULL,
    status          TEXT NOT NULL,
    value           TEXT NOT NULL,
    log_seq         BIGINT NOT NULL
);
CREATE INDEX claims_by_source ON claims (source_id, ordinal);

CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    date_start  TEXT,
    doc         TEXT NOT NULL
);
CREATE INDEX incidents_by_date ON incidents (date_start);

CREATE TABLE log_entries (
    seq          BIGINT PRIMARY KEY,
    recorded_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    leaf_hash    TEXT NOT NULL
);

CREATE TABLE tree_head (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    size        BIGINT NOT NULL,
    root        TEXT NOT NULL,
    frontier    TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO tree_head (id, size, root, frontier, updated_at)
VALUES (1, 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '', '');
