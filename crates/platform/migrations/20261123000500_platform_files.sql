-- Uploaded files. The bytes live in storage under their SHA-256; this is what is known of them.
CREATE TABLE platform_file (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- The type found by reading the file's first bytes, not the one its name or browser claimed.
    content_type TEXT NOT NULL,
    original_name TEXT NOT NULL,
    flagged_for_review BIGINT NOT NULL DEFAULT 0,
    flag_reason TEXT,
    -- The record the file belongs to, e.g. ('contact message', 'CON-2026-000012').
    owner_type TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX platform_file_owner ON platform_file (owner_type, owner_id);
CREATE INDEX platform_file_sha256 ON platform_file (sha256);
