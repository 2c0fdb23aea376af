-- Versions are numbered per role (1, 2, …), so a new role starts at
-- version 1 whatever other roles hold. Existing versions are numbered in
-- the order they were stored.
ALTER TABLE role_versions ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE role_versions SET number = (
    SELECT count(*) FROM role_versions v
    WHERE v.role_slug = role_versions.role_slug AND v.id <= role_versions.id);
CREATE UNIQUE INDEX role_versions_number ON role_versions (role_slug, number);

-- An admin's corrections to the imported page (title, summary, source URL,
-- per item: kind, weight, bonus, expected ratings, left out), as JSON. They
-- belong to the version, so a result keeps the edits of its own check.
ALTER TABLE role_versions ADD COLUMN edits TEXT NOT NULL DEFAULT '';
