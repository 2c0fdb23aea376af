-- Released aggregates (see internal/release): the figures recruiters see,
-- published once per closed dyadic interval of UTC days (a node: Days days
-- from start, Days a power of two) and never changed. The counters are only
-- their inputs: a later deletion or purge changes counters, never a release.
CREATE TABLE release_nodes (
    role_slug TEXT NOT NULL,
    start     TEXT NOT NULL,
    days      INTEGER NOT NULL,
    -- The noise every cell of the node was drawn with: Gaussian, sigma,
    -- calibrated for (epsilon, delta) per cell.
    epsilon   REAL NOT NULL,
    delta     REAL NOT NULL,
    sigma     REAL NOT NULL,
    PRIMARY KEY (role_slug, start, days)
) WITHOUT ROWID;

-- One noisy count per cell of a node's domain, zero or not. version_id 0
-- with channel and mode '' is the whole role; other rows are one version ×
-- channel × mode. metric, key and bucket are those of the counters, except
-- that answer buckets are the released ones (a rating 0–4, or 0/1 for
-- below/at the bar and no/yes) and 'answers' counts an item's answers.
CREATE TABLE releases (
    role_slug  TEXT NOT NULL,
    start      TEXT NOT NULL,
    days       INTEGER NOT NULL,
    version_id INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    mode       TEXT NOT NULL,
    metric     TEXT NOT NULL,
    key        TEXT NOT NULL,
    bucket     INTEGER NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (role_slug, start, days, version_id, channel, mode, metric, key, bucket),
    FOREIGN KEY (role_slug, start, days) REFERENCES release_nodes (role_slug, start, days)
) WITHOUT ROWID;
