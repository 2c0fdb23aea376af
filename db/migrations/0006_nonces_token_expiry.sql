-- The widget's sealed states already used for a submission, so that a
-- replayed form is refused after a restart too. Privacy: a state's expiry
-- is kept as a UTC day, not a time, like a submission's day, so these rows
-- cannot tell when anyone sent the widget's form; the nonce is random and
-- is not linked to the submission.
CREATE TABLE used_nonces (
    nonce      TEXT PRIMARY KEY,
    expires_on TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX used_nonces_expires_on ON used_nonces (expires_on);

-- An API token may expire: from expires_on (a UTC day) on it is refused.
-- last_used_on is the UTC day of its last use, a day only, so an admin can
-- see which tokens are idle without rolefit recording when anyone read.
ALTER TABLE api_tokens ADD COLUMN expires_on TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_on TEXT;
