-- Staff accounts, sessions and the audit log. Portable SQL (docs/adr/0001-database.md).

CREATE TABLE platform_staff_user (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- For partners: the organisation whose records they may see.
    organisation TEXT,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_enabled BIGINT NOT NULL DEFAULT 0,
    -- The last time step whose code was accepted: a code is never accepted twice.
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE platform_recovery_code (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES platform_staff_user (id),
    code_hash TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX platform_recovery_code_user ON platform_recovery_code (user_id);

-- Only the SHA-256 of a session token is stored: a copy of the database signs nobody in.
CREATE TABLE platform_session (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES platform_staff_user (id),
    stage TEXT NOT NULL CHECK (stage IN ('signing-in', 'signed-in')),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX platform_session_user ON platform_session (user_id);

CREATE TABLE platform_sign_in_failure (
    id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    email TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX platform_sign_in_failure_address ON platform_sign_in_failure (address, failed_at);

CREATE TABLE platform_password_reset (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES platform_staff_user (id),
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- The audit log is a hash chain: each event stores the hash of the one before, so removing or
-- editing an event breaks every link after it. The head row serialises appenders.
CREATE TABLE platform_audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO platform_audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE platform_audit_event (
    seq BIGINT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_id TEXT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    address TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX platform_audit_event_actor ON platform_audit_event (actor_id, occurred_at);
CREATE INDEX platform_audit_event_record ON platform_audit_event (record_type, record_id);
CREATE INDEX platform_audit_event_time ON platform_audit_event (occurred_at);
