-- Organisations; tokens are kept only as SHA-256 hashes.
CREATE TABLE orgs (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    roles      TEXT NOT NULL,
    lists      TEXT NOT NULL,
    items      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- The current state of each entry. Its content is stored once, in the
-- version that last set it (record_seq); its history is in entry_versions.
CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    list          TEXT NOT NULL,
    source_ref    TEXT NOT NULL,
    subject_key   TEXT NOT NULL,
    legal_rep_key TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    expires_at    INTEGER,
    record_seq    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (list, source_ref)
);
CREATE INDEX entries_due ON entries (expires_at) WHERE state = 'active' AND expires_at IS NOT NULL;

-- Every change of every entry. seq is the change log's sequence: assigned
-- at commit by the single writer, so it is ordered and has no gaps.
CREATE TABLE entry_versions (
    seq         INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES entries (id),
    version     INTEGER NOT NULL,
    change      TEXT NOT NULL,
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    record      TEXT,
    log_index   INTEGER NOT NULL,
    UNIQUE (entry_id, version)
);

-- Checks, in the order they were decided. A check's ID is its position in
-- the audit log (log_index): one b-tree per check keeps group commits cheap.
CREATE TABLE checks (
    log_index     INTEGER PRIMARY KEY,
    org           TEXT NOT NULL,
    item          TEXT NOT NULL,
    id_type       TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    subject_key   TEXT NOT NULL,
    name          TEXT NOT NULL,
    operator      TEXT NOT NULL,
    ref           TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    hits          TEXT NOT NULL,
    name_mismatch INTEGER NOT NULL,
    at            INTEGER NOT NULL
);

CREATE TABLE feedback (
    id        INTEGER PRIMARY KEY,
    check_id  INTEGER NOT NULL REFERENCES checks (log_index),
    org       TEXT NOT NULL,
    action    TEXT NOT NULL,
    note      TEXT NOT NULL,
    operator  TEXT NOT NULL,
    at        INTEGER NOT NULL,
    log_index INTEGER NOT NULL UNIQUE
);
CREATE INDEX feedback_check ON feedback (check_id);

CREATE TABLE catalog_versions (
    id      INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    yaml    BLOB NOT NULL,
    actor   TEXT NOT NULL,
    at      INTEGER NOT NULL
);

-- Who read which personal data (PIPL; 等保 audit).
CREATE TABLE access_log (
    id     INTEGER PRIMARY KEY,
    org    TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    at     INTEGER NOT NULL
);
