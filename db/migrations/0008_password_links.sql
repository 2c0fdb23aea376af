-- One-time links to set an account's password: an invitation for a new
-- account, or a reset an admin sends. Only the SHA-256 of the link's token
-- is stored, so a copy of the database holds no usable link. An account
-- has at most one outstanding link; a new one replaces it, and using it
-- deletes it.
CREATE TABLE password_links (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    expires_at TEXT NOT NULL
);
