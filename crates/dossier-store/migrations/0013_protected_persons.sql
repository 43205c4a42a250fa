-- Protected persons (victims, witnesses, detainees). A source whose text
-- names one keeps its body with every mention masked in `sources.body`, and
-- the text as written sealed (XChaCha20-Poly1305, key outside the database)
-- in `body_sealed`. Names are sealed; they are found again through blind
-- tokens (keyed HMACs of their words), never stored in the clear.
ALTER TABLE sources ADD COLUMN body_sealed TEXT;

CREATE TABLE persons (
    pseudonym    TEXT PRIMARY KEY,
    name_token   TEXT NOT NULL UNIQUE,
    name_sealed  TEXT NOT NULL,
    log_seq      BIGINT NOT NULL
);

CREATE TABLE person_mentions (
    source_id   TEXT NOT NULL REFERENCES sources(id),
    pseudonym   TEXT NOT NULL REFERENCES persons(pseudonym),
    role        TEXT NOT NULL,
    span_start  BIGINT NOT NULL,
    span_end    BIGINT NOT NULL,
    PRIMARY KEY (source_id, span_start)
);
CREATE INDEX person_mentions_by_person ON person_mentions (pseudonym);

CREATE TABLE name_tokens (
    token      TEXT NOT NULL,
    pseudonym  TEXT NOT NULL REFERENCES persons(pseudonym),
    PRIMARY KEY (token, pseudonym)
);
