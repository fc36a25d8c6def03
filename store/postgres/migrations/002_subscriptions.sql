-- Webhook subscriptions. The cursor is the last change sequence delivered
-- (acknowledged with a 2xx), so delivery resumes there after a restart.
CREATE TABLE subscriptions (
    id            TEXT PRIMARY KEY,
    org           TEXT NOT NULL REFERENCES orgs (code),
    url           TEXT NOT NULL,
    secret        TEXT NOT NULL,
    cursor        BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_attempt  BIGINT NOT NULL DEFAULT 0,
    last_success  BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    failing_since BIGINT NOT NULL DEFAULT 0,
    delivered     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX subscriptions_org ON subscriptions (org);
