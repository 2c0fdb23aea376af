-- Daily aggregate counters, one row per day × role × version × channel ×
-- mode × figure, so that the dashboard reads O(items × days) rows and never
-- the submissions. metric is one of:
--   started, step (key = step number), apply, completed,
--   answer (key = item id, bucket = whole value, capped),
--   fit (key = level slug, bucket = 10-point band 0–9),
--   recommended (key = level slug).
-- Counters outlive purged submissions: they are the aggregates that remain.
CREATE TABLE counters (
    role_slug  TEXT NOT NULL,
    day        TEXT NOT NULL,
    metric     TEXT NOT NULL,
    key        TEXT NOT NULL DEFAULT '',
    bucket     INTEGER NOT NULL DEFAULT 0,
    version_id INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    mode       TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (role_slug, day, metric, key, bucket, version_id, channel, mode)
) WITHOUT ROWID;
