-- A staff form posted just after its session ran out, kept for the person whose session it was
-- until they sign in again (at most a day). Only the hash of the browser's cookie is stored.
CREATE TABLE platform_kept_form (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    path TEXT NOT NULL,
    fields TEXT NOT NULL,
    kept_at TEXT NOT NULL
);
