-- The named people at a partner organisation the office writes to (an agency's contact for ASB
-- case reviews' information requests, a provider's contract manager). A contact who leaves is
-- marked removed, not deleted, so the requests sent to them still say who was asked.
CREATE TABLE platform_organisation_contact (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES platform_organisation (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    job_title TEXT,
    added_at TEXT NOT NULL,
    removed_at TEXT
);

CREATE INDEX platform_organisation_contact_organisation ON platform_organisation_contact (organisation_id);
