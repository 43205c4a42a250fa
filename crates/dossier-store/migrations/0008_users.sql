-- People who may use the web UI and API, with one role each, and the API
-- tokens issued to them. Only an Argon2id hash of a password and a SHA-256
-- of a token are stored; neither ever appears in the log.

CREATE TABLE users (
    name           TEXT PRIMARY KEY,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    seq            BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_sha256   TEXT PRIMARY KEY,
    user_name      TEXT NOT NULL REFERENCES users(name),
    created_at     TEXT NOT NULL,
    seq            BIGINT NOT NULL
);
