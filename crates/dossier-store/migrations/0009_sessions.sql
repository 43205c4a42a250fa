-- Browser sessions: the SHA-256 of the session cookie's secret, its user,
-- the CSRF token every state-changing form or request must echo, and when
-- it expires. Signing out deletes the row.

CREATE TABLE sessions (
    id_sha256   TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users(name),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
