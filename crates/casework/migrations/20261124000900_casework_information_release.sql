-- Documents released with an information request's response. Each is checked for hidden data
-- when uploaded (information/hidden.rs); what was found is kept with who confirmed the document
-- safe to release, and a document can later be withdrawn from the public log with a reason.
CREATE TABLE casework_information_release (
    file_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES casework_information_request (id),
    -- One finding a line, in the officer's words; empty when nothing was found.
    findings TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_at TEXT,
    withdrawn_at TEXT,
    withdrawn_reason TEXT
);

CREATE INDEX casework_information_release_request ON casework_information_release (request_id);
