-- Messages sent through "Contact the Commissioner's office". Portable SQL (docs/adr/0001-database.md).
CREATE TABLE correspondence_contact_message (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    -- The random key the form carried: a double-click or a resend finds the message already
    -- stored instead of making a second one.
    submission_key TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT,
    postal_address TEXT,
    postcode TEXT,
    telephone TEXT,
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'post', 'telephone')),
    message TEXT NOT NULL,
    received_at TEXT NOT NULL,
    reply_due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received'
);

CREATE INDEX correspondence_contact_message_received ON correspondence_contact_message (received_at);
