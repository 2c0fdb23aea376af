-- The admin's item overrides in force when a check was made, so that a
-- result is shown and scored against the role exactly as the applicant was
-- asked it: an override changed later, like a new version, moves no
-- existing result. One row per distinct set of overrides of a version,
-- shared by every submission made under it; overrides holds a JSON array
-- of {"item", "kind", "weight", "bonus"} objects, sorted by item.
CREATE TABLE role_snapshots (
    id         INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES role_versions (id) ON DELETE CASCADE,
    overrides  TEXT NOT NULL,
    UNIQUE (version_id, overrides)
);

ALTER TABLE submissions ADD COLUMN snapshot_id INTEGER REFERENCES role_snapshots (id);

-- Submissions made before this migration keep the overrides in force now,
-- the best record there is of those in force then.
INSERT INTO role_snapshots (version_id, overrides)
SELECT v.id, coalesce((
    SELECT json_group_array(json_object('item', o.item_id, 'kind', o.kind, 'weight', o.weight,
        'bonus', CASE o.bonus WHEN 1 THEN json('true') WHEN 0 THEN json('false') END))
    FROM (SELECT * FROM item_overrides WHERE role_slug = v.role_slug ORDER BY item_id) o), '[]')
FROM role_versions v;

UPDATE submissions SET snapshot_id = (SELECT id FROM role_snapshots s WHERE s.version_id = submissions.version_id);

-- Deleted results answer 410 Gone instead of 404. Only the SHA-256 of the
-- result token is kept, as in submissions, with no date and nothing of the
-- answers: a tombstone says that some result was deleted and nothing more.
CREATE TABLE deleted_results (
    token_hash BLOB PRIMARY KEY
) WITHOUT ROWID;
