-- Background jobs and the mail outbox. Portable SQL (docs/adr/0001-database.md).

CREATE TABLE platform_job (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at TEXT NOT NULL,
    -- A running job whose lease has lapsed (its process died) is taken up again.
    locked_by TEXT,
    locked_until TEXT,
    last_error TEXT,
    -- Jobs with the same key are made once: the scheduler's "daily task for this date".
    dedup_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX platform_job_due ON platform_job (status, run_at);

-- Every email is written here in the same transaction as the change that caused it; the
-- send-mail job delivers it and marks it sent, so a crash or an SMTP outage loses nothing.
CREATE TABLE platform_outbox (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX platform_outbox_status ON platform_outbox (status, created_at);
