-- The address each role version's page was published at, so that relative
-- links in its items can be resolved against it instead of pointing at
-- rolefit. Empty when unknown: such links are then shown as plain text.
ALTER TABLE role_versions ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
