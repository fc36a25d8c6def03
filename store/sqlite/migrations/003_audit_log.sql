-- The audit log. Every record that is a leaf keeps its leaf hash beside it,
-- written in the same transaction; the tree is the leaves in log_index order.
ALTER TABLE entry_versions ADD COLUMN leaf_hash BLOB;
ALTER TABLE checks ADD COLUMN leaf_hash BLOB;
ALTER TABLE feedback ADD COLUMN leaf_hash BLOB;

-- Organisation changes are leaves too: what was granted, never the token.
CREATE TABLE org_events (
    log_index INTEGER PRIMARY KEY,
    org       TEXT NOT NULL,
    change    TEXT NOT NULL,
    name      TEXT NOT NULL,
    roles     TEXT NOT NULL,
    lists     TEXT NOT NULL,
    items     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    leaf_hash BLOB NOT NULL
);

-- Signed checkpoints: the log's size and root at a time.
CREATE TABLE log_checkpoints (
    size          INTEGER PRIMARY KEY,
    root          BLOB NOT NULL,
    hash          TEXT NOT NULL,
    at            INTEGER NOT NULL,
    signature     BLOB NOT NULL,
    signature_alg TEXT NOT NULL,
    public_key    TEXT NOT NULL
);

-- Settings fixed when the log began (hash algorithm).
CREATE TABLE log_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Log positions of entry versions are read by range when proving.
CREATE INDEX entry_versions_log ON entry_versions (log_index);
