-- The other pages of a handbook a role version's "Extends" links resolved
-- to when it was imported with them (a folder or an archive). Parsing the
-- version again needs them, as it needs its own source.
CREATE TABLE role_version_includes (
    version_id INTEGER NOT NULL REFERENCES role_versions (id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    source     BLOB NOT NULL,
    PRIMARY KEY (version_id, path)
);
