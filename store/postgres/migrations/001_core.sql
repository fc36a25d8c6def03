-- The same schema as the SQLite store: times are unix microseconds
-- (expires_at unix seconds), JSON is kept as text so it reads back byte for
-- byte.

-- Organisations; tokens are kept only as SHA-256 hashes.
CREATE TABLE orgs (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    roles      TEXT NOT NULL,
    lists      TEXT NOT NULL,
    items      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- The current state of each entry. Its content is stored once, in the
-- version that last set it (record_seq); its history is in entry_versions.
-- IDs are taken from counters, like seq. list and source_ref are codes,
-- compared byte for byte (COLLATE "C"): their unique index is cheaper so.
CREATE TABLE entries (
    id            BIGINT PRIMARY KEY,
    list          TEXT COLLATE "C" NOT NULL,
    source_ref    TEXT COLLATE "C" NOT NULL,
    subject_key   TEXT NOT NULL,
    legal_rep_key TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    seq           BIGINT NOT NULL,
    expires_at    BIGINT,
    record_seq    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT entries_list_source_ref_key UNIQUE (list, source_ref)
);
CREATE INDEX entries_due ON entries (expires_at) WHERE state = 'active' AND expires_at IS NOT NULL;

-- Every change of every entry. seq is the change log's sequence, taken from
-- counters inside the writing transaction, so it is ordered and gap-free
-- across every node sharing the database. entry_id has no foreign key: the
-- check doubled the cost of a bulk COPY, and the store inserts an entry
-- before its first version and updates it (one row, or the batch fails)
-- before every other, and never deletes entries.
CREATE TABLE entry_versions (
    seq         BIGINT PRIMARY KEY,
    entry_id    BIGINT NOT NULL,
    version     INTEGER NOT NULL,
    change      TEXT NOT NULL,
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    record      TEXT,
    log_index   BIGINT NOT NULL,
    CONSTRAINT entry_versions_entry_id_version_key UNIQUE (entry_id, version)
);

-- Checks, in the order they were decided. A check's ID is its position in
-- the audit log (log_index): one b-tree per check keeps group commits cheap.
CREATE TABLE checks (
    log_index     BIGINT PRIMARY KEY,
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
    name_mismatch BOOLEAN NOT NULL,
    at            BIGINT NOT NULL
);

CREATE TABLE feedback (
    id        BIGSERIAL PRIMARY KEY,
    check_id  BIGINT NOT NULL REFERENCES checks (log_index),
    org       TEXT NOT NULL,
    action    TEXT NOT NULL,
    note      TEXT NOT NULL,
    operator  TEXT NOT NULL,
    at        BIGINT NOT NULL,
    log_index BIGINT NOT NULL UNIQUE
);
CREATE INDEX feedback_check ON feedback (check_id);

CREATE TABLE catalog_versions (
    id      BIGSERIAL PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    yaml    BYTEA NOT NULL,
    actor   TEXT NOT NULL,
    at      BIGINT NOT NULL
);

-- Who read which personal data (PIPL; 等保 audit).
CREATE TABLE access_log (
    id     BIGSERIAL PRIMARY KEY,
    org    TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    at     BIGINT NOT NULL
);

-- The numbers shared by every node: the last change seq, the last entry ID
-- and the last audit log index (entry versions, checks and feedback share
-- it). A writer takes them with UPDATE … RETURNING, so the row lock orders
-- writers and a rollback gives the numbers back: no gaps, unlike a
-- sequence. Lock order: seq, entry, leaf.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('seq', 0), ('entry', 0), ('leaf', -1);
