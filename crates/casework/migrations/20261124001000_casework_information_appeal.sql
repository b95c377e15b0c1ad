-- What follows an answer the requester is unhappy with: the office's internal review (ICO
-- guidance: 20 working days, 40 at most) and a complaint to the Information Commissioner. Each
-- is linked to the original request; due dates are worked out, not stored.
CREATE TABLE casework_information_appeal (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES casework_information_request (id),
    kind TEXT NOT NULL CHECK (kind IN ('internal-review', 'ico')),
    received_on TEXT NOT NULL,
    -- The ICO's case reference, for a complaint to it.
    external_reference TEXT,
    grounds TEXT NOT NULL,
    outcome TEXT,
    decided_on TEXT,
    notes TEXT,
    recorded_by TEXT NOT NULL
);

CREATE INDEX casework_information_appeal_request ON casework_information_appeal (request_id);
