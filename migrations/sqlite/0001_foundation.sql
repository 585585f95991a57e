-- 0001 foundation: institutions, accounts, sessions, invites, the audit chain.
-- Ids are random 62-bit integers made by the application (crypto_random_id), so they
-- reveal nothing about volume and need no sequence; timestamps are UTC milliseconds.

CREATE TABLE institutions (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    short_name  TEXT    NOT NULL,
    type        TEXT    NOT NULL
                CHECK (type IN ('fund_company', 'bank', 'insurer', 'securities_firm')),
    status      TEXT    NOT NULL CHECK (status IN ('applied', 'pilot', 'live', 'suspended')),
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE institution_status_history (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    from_status     TEXT,
    to_status       TEXT    NOT NULL,
    by_user_id      INTEGER,
    at_ms           INTEGER NOT NULL,
    reason          TEXT    NOT NULL
) STRICT;
CREATE INDEX institution_status_history_inst ON institution_status_history (institution_id, at_ms);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('investor', 'staff', 'operator')),
    role             TEXT    NOT NULL CHECK (role IN ('investor', 'inst_admin', 'inst_operator',
                                     'inst_compliance', 'ops_admin', 'ops_reviewer', 'ops_risk')),
    login            TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL,
    institution_id   INTEGER REFERENCES institutions (id),
    status           TEXT    NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
    password_hash    TEXT,
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until_ms  INTEGER NOT NULL DEFAULT 0,
    demo             INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_ms       INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL,
    CHECK ((kind = 'staff') = (institution_id IS NOT NULL))
) STRICT;
CREATE INDEX users_institution ON users (institution_id);

CREATE TABLE invites (
    token_hash  BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    used_ms     INTEGER
) STRICT;
CREATE INDEX invites_user ON invites (user_id);

-- Only the SHA-256 of a session token is stored: a copy of the database does not
-- let anyone sign in.
CREATE TABLE sessions (
    token_hash    BLOB    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    csrf_token    TEXT    NOT NULL,
    created_ms    INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL,
    expires_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only: each entry's hash covers the previous entry's hash, so a change to any
-- row breaks every hash after it (GET /api/v1/ops/audit/verify finds where).
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at_ms           INTEGER NOT NULL,
    actor_user_id   INTEGER,
    actor_role      TEXT    NOT NULL,
    institution_id  INTEGER,
    action          TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    detail          TEXT    NOT NULL,
    prev_hash       BLOB    NOT NULL,
    hash            BLOB    NOT NULL
) STRICT;
CREATE INDEX audit_log_inst ON audit_log (institution_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
