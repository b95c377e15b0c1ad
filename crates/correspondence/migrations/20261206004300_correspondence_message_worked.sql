-- Messages from the public are worked like cases: assigned, replied to (by email from the
-- product, or recorded when answered another way) and closed with an outcome.
ALTER TABLE correspondence_contact_message ADD COLUMN assigned_to TEXT;
ALTER TABLE correspondence_contact_message ADD COLUMN replied_at TEXT;
ALTER TABLE correspondence_contact_message ADD COLUMN reply_text TEXT;
ALTER TABLE correspondence_contact_message ADD COLUMN closed_at TEXT;
ALTER TABLE correspondence_contact_message ADD COLUMN outcome TEXT;

-- Feedback on the service itself (the beta banner's link), kept apart from messages to the office.
CREATE TABLE correspondence_feedback (
    id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    satisfaction TEXT NOT NULL,
    improvement TEXT NOT NULL
);
