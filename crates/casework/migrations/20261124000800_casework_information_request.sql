-- Information requests (FOI, EIR, subject access) and the public disclosure log. Portable SQL
-- as in the other casework migrations. The clocks' facts are columns; due dates are worked out
-- from them each time (information/clock.rs), so a calendar change re-times every open request.

-- A request being written on the public journey (crate::drafts).
CREATE TABLE casework_information_draft (
    id TEXT PRIMARY KEY,
    answers TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    request_id TEXT
);

CREATE TABLE casework_information_request (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('foi', 'eir', 'sar')),
    -- Null for a request that came by email or post and was entered by staff.
    draft_id TEXT UNIQUE,
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'email', 'post')),
    requester_name TEXT NOT NULL,
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'letter')),
    email TEXT,
    postal_address TEXT,
    postcode TEXT,
    request_text TEXT NOT NULL,
    preferred_format TEXT NOT NULL,
    -- Subject access: the period the requester asks about.
    sar_from TEXT,
    sar_to TEXT,
    tracker_token_hash TEXT NOT NULL UNIQUE,
    stage TEXT NOT NULL,
    assigned_to TEXT,
    clarification_asked_on TEXT,
    clarified_on TEXT,
    fee_notice_on TEXT,
    fee_paid_on TEXT,
    identity_confirmed_on TEXT,
    extended BIGINT NOT NULL DEFAULT 0,
    public_interest_days BIGINT NOT NULL DEFAULT 0,
    outcome TEXT CHECK (outcome IN ('disclosed', 'part-disclosed', 'refused', 'not-held')),
    exemptions TEXT,
    response_text TEXT,
    approved_by TEXT,
    approved_on TEXT,
    responded_on TEXT,
    closed_on TEXT,
    anonymised_at TEXT
);

CREATE INDEX casework_information_request_stage ON casework_information_request (stage);
CREATE INDEX casework_information_request_received ON casework_information_request (received_on);

-- Searches made and time spent, for the cost limit (18 hours at £25 an hour).
CREATE TABLE casework_information_time (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES casework_information_request (id),
    logged_on TEXT NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    activity TEXT NOT NULL,
    logged_by TEXT NOT NULL
);

CREATE INDEX casework_information_time_request ON casework_information_time (request_id);

-- The public disclosure log: responses as published, without the requester's identity. An
-- entry may stand for a request answered before Commissioner (no request_id).
CREATE TABLE casework_disclosure_entry (
    id TEXT PRIMARY KEY,
    request_id TEXT UNIQUE REFERENCES casework_information_request (id),
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    topic TEXT NOT NULL,
    request_text TEXT NOT NULL,
    response_text TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('disclosed', 'part-disclosed', 'refused', 'not-held')),
    exemptions TEXT NOT NULL,
    received_on TEXT NOT NULL,
    responded_on TEXT NOT NULL,
    published_at TEXT NOT NULL,
    withdrawn_at TEXT
);

CREATE INDEX casework_disclosure_entry_published ON casework_disclosure_entry (published_at);
CREATE INDEX casework_disclosure_entry_topic ON casework_disclosure_entry (topic);

CREATE INDEX casework_disclosure_entry_responded ON casework_disclosure_entry (responded_on, id);

-- The disclosure log's word index (information/search.rs): one row per distinct word of a
-- published entry, removed when the entry is withdrawn. The entry's reply date is copied here so
-- that the newest entries with a word come straight off the index, without sorting them all.
CREATE TABLE casework_disclosure_word (
    word TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES casework_disclosure_entry (id),
    responded_on TEXT NOT NULL,
    PRIMARY KEY (word, entry_id)
);

CREATE INDEX casework_disclosure_word_newest ON casework_disclosure_word (word, responded_on, entry_id);
CREATE INDEX casework_disclosure_word_entry ON casework_disclosure_word (entry_id);
