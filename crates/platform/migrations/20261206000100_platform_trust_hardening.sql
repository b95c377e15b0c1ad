-- Closing what the December 2026 security test found (issue 13, docs/adr/0002-trust.md).

-- Second-factor codes tried in this signing-in session (at most five), and how many sign-ins
-- in a row ended that way for the account (three lock it until an administrator acts).
ALTER TABLE platform_session ADD COLUMN codes_tried BIGINT NOT NULL DEFAULT 0;
ALTER TABLE platform_staff_user ADD COLUMN code_rounds_failed BIGINT NOT NULL DEFAULT 0;

-- Attempts counted against a limit: sign-ins by account and client, tracker guesses, password
-- reset emails, uploaded bytes by client and by form. An attempt is written before it is
-- counted, so parallel requests cannot all pass under the limit.
CREATE TABLE platform_attempt (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    weight BIGINT NOT NULL,
    taken_at TEXT NOT NULL
);
CREATE INDEX platform_attempt_subject ON platform_attempt (kind, subject, taken_at);

-- Stored contents that lost their last file record, waiting for the collector to delete them
-- from disk or S3. Written in the transaction that removed the record.
CREATE TABLE platform_file_orphan (
    sha256 TEXT PRIMARY KEY,
    orphaned_at TEXT NOT NULL
);

-- Mail that was waiting when a backup was taken is held after a restore until released.
ALTER TABLE platform_outbox ADD COLUMN held BIGINT NOT NULL DEFAULT 0;

-- The health check writes here, so a server that cannot write leaves the load balancer.
CREATE TABLE platform_health (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
INSERT INTO platform_health (id, checked_at) VALUES (1, '1970-01-01T00:00:00.000000Z');
