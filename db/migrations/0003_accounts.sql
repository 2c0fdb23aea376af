-- Recruiter and admin accounts. The e-mail is the only personal datum
-- rolefit keeps, and only for the people who sign in to it.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    admin         INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
    created_on    TEXT NOT NULL
);

-- Server-side recruiter sessions, so that signing out or removing an
-- account ends them at once. The cookie holds a random id; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in.
CREATE TABLE recruiter_sessions (
    id_hash    BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    data       BLOB NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX recruiter_sessions_user ON recruiter_sessions (user_id);
CREATE INDEX recruiter_sessions_expires ON recruiter_sessions (expires_at);

-- Bearer tokens for the read-only JSON API. Only the SHA-256 of a token is
-- stored; the token is shown once when it is made.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_on TEXT NOT NULL
);
