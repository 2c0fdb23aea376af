-- Roles and their imported versions. A role's current version is the newest
-- row in role_versions; the source markdown is kept so that any version can
-- be parsed again.
CREATE TABLE roles (
    slug       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    apply_url  TEXT NOT NULL DEFAULT '',
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_on TEXT NOT NULL
);

CREATE TABLE role_versions (
    id          INTEGER PRIMARY KEY,
    role_slug   TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE,
    hash        TEXT NOT NULL,
    source      BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (role_slug, hash)
);

-- Admin changes to an item's kind, weight or bonus flag, by stable item id,
-- so they survive re-imports of the page.
CREATE TABLE item_overrides (
    role_slug TEXT NOT NULL REFERENCES roles (slug) ON DELETE CASCADE,
    item_id   TEXT NOT NULL,
    kind      TEXT,
    weight    REAL,
    bonus     INTEGER,
    PRIMARY KEY (role_slug, item_id)
);

-- One row per anonymised submission. Privacy: no address, agent, session,
-- referrer, name or time of day; the day is a UTC date. The result token is
-- stored only as its SHA-256.
CREATE TABLE submissions (
    id          INTEGER PRIMARY KEY,
    token_hash  BLOB NOT NULL UNIQUE,
    role_slug   TEXT NOT NULL REFERENCES roles (slug),
    version_id  INTEGER NOT NULL REFERENCES role_versions (id),
    mode        TEXT NOT NULL CHECK (mode IN ('quick', 'full')),
    channel     TEXT NOT NULL CHECK (channel IN ('site', 'embed')),
    embed_host  TEXT NOT NULL DEFAULT '',
    specialty   TEXT NOT NULL DEFAULT '',
    day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- answers: item id → value, compact JSON object.
    answers     TEXT NOT NULL,
    -- fits: level slug → fit 0–100, compact JSON object.
    fits        TEXT NOT NULL,
    recommended TEXT NOT NULL
);
CREATE INDEX submissions_role_day ON submissions (role_slug, day);
CREATE INDEX submissions_day ON submissions (day);

-- Server secrets such as the session keys made on first start.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
