-- A reply by post is stored as 'letter', as the case services store it, instead of 'post': one
-- spelling everywhere. SQLite cannot change a CHECK constraint in place, so the table is rebuilt
-- (portable SQL: the same statements on PostgreSQL), keeping its columns in order.
CREATE TABLE correspondence_contact_message_new (
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
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'letter', 'telephone')),
    message TEXT NOT NULL,
    received_at TEXT NOT NULL,
    reply_due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received',
    anonymised_at TEXT
);

INSERT INTO correspondence_contact_message_new
    (id, reference, submission_key, full_name, email, postal_address, postcode, telephone, contact_method, message,
     received_at, reply_due_on, status, anonymised_at)
SELECT id, reference, submission_key, full_name, email, postal_address, postcode, telephone,
       CASE contact_method WHEN 'post' THEN 'letter' ELSE contact_method END,
       message, received_at, reply_due_on, status, anonymised_at
FROM correspondence_contact_message;

DROP TABLE correspondence_contact_message;
ALTER TABLE correspondence_contact_message_new RENAME TO correspondence_contact_message;
CREATE INDEX correspondence_contact_message_received ON correspondence_contact_message (received_at);
