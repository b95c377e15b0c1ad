-- ASB Case Review (Community Trigger): applications, appeals and the office's settings for them.
-- Portable SQL (docs/adr/0001-database.md): dates are TEXT 'YYYY-MM-DD', instants TEXT UTC,
-- flags BIGINT 0/1.

-- The area's threshold and timescales (one row), as JSON written by the casework crate.
CREATE TABLE casework_asb_policy (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    threshold TEXT NOT NULL,
    timescales TEXT NOT NULL,
    retention_years BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The bodies that carry out reviews (usually a Community Safety Partnership), and the
-- districts each covers. Partner accounts whose organisation is a body's name see its cases.
CREATE TABLE casework_asb_review_body (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL
);

CREATE TABLE casework_asb_district (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    review_body_id TEXT NOT NULL REFERENCES casework_asb_review_body (id),
    position BIGINT NOT NULL
);

-- An application in progress: the answers so far, kept so that nothing typed is lost between
-- pages, after a restart, or if the applicant comes back later. Deleted 30 days after the last
-- change unless submitted.
CREATE TABLE casework_asb_draft (
    id TEXT PRIMARY KEY,
    answers TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    application_id TEXT
);

CREATE TABLE casework_asb_application (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    draft_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    applying_as TEXT NOT NULL CHECK (applying_as IN ('victim', 'on-behalf')),
    relationship TEXT,
    victim_kind TEXT NOT NULL CHECK (victim_kind IN ('person', 'business', 'community-group')),
    victim_name TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'telephone', 'letter')),
    email TEXT,
    telephone TEXT,
    postal_address TEXT,
    postcode TEXT,
    location_address TEXT,
    location_postcode TEXT NOT NULL,
    district_id TEXT NOT NULL REFERENCES casework_asb_district (id),
    review_body_id TEXT NOT NULL REFERENCES casework_asb_review_body (id),
    continuing BIGINT NOT NULL,
    hate TEXT NOT NULL CHECK (hate IN ('yes', 'no', 'not-sure')),
    needs TEXT,
    consent BIGINT NOT NULL CHECK (consent = 1),
    -- The timescales and threshold in force when it arrived, so later policy changes do not
    -- move this case's clocks or its threshold.
    timescales TEXT NOT NULL,
    threshold_rule TEXT NOT NULL,
    tracker_token_hash TEXT NOT NULL UNIQUE,
    stage TEXT NOT NULL,
    assigned_to TEXT,
    acknowledged_on TEXT,
    threshold_outcome TEXT CHECK (threshold_outcome IN ('met', 'not-met', 'met-at-discretion')),
    threshold_factors TEXT,
    threshold_reasons TEXT,
    threshold_decided_on TEXT,
    threshold_decided_by TEXT,
    review_to_be_held BIGINT,
    meeting_on TEXT,
    meeting_chair TEXT,
    chair_independent BIGINT,
    meeting_attendees TEXT,
    outcome_summary TEXT,
    outcome_sent_on TEXT,
    closed_on TEXT,
    anonymised_at TEXT
);

CREATE INDEX casework_asb_application_stage ON casework_asb_application (stage);
CREATE INDEX casework_asb_application_body ON casework_asb_application (review_body_id);
CREATE INDEX casework_asb_application_received ON casework_asb_application (received_on);

CREATE TABLE casework_asb_incident (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES casework_asb_application (id),
    position BIGINT NOT NULL,
    occurred_on TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    reported_to TEXT NOT NULL,
    agency_reference TEXT,
    reporter TEXT,
    description TEXT NOT NULL,
    UNIQUE (application_id, position)
);

-- A question put to one agency for the review, and its answer.
CREATE TABLE casework_asb_information_request (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES casework_asb_application (id),
    agency TEXT NOT NULL,
    question TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    response TEXT,
    responded_on TEXT,
    responded_by TEXT
);

CREATE INDEX casework_asb_information_request_application ON casework_asb_information_request (application_id);

-- The review's action plan.
CREATE TABLE casework_asb_recommendation (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES casework_asb_application (id),
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'not-done')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX casework_asb_recommendation_application ON casework_asb_recommendation (application_id);

CREATE TABLE casework_asb_appeal (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    submission_key TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    -- Set when the review being appealed was run in Commissioner and could be matched.
    application_id TEXT REFERENCES casework_asb_application (id),
    grounds TEXT NOT NULL,
    full_name TEXT NOT NULL,
    postal_address TEXT,
    postcode TEXT NOT NULL,
    email TEXT,
    telephone TEXT,
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'telephone', 'letter')),
    review_body_name TEXT NOT NULL,
    review_body_id TEXT REFERENCES casework_asb_review_body (id),
    decision_letter_on TEXT NOT NULL,
    review_reference TEXT,
    supporting_information TEXT NOT NULL,
    consent BIGINT NOT NULL CHECK (consent = 1),
    timescales TEXT NOT NULL,
    in_time BIGINT NOT NULL,
    tracker_token_hash TEXT NOT NULL UNIQUE,
    assigned_to TEXT,
    -- For appeals out of time: whether the office agreed to hear it.
    hearing_decision TEXT CHECK (hearing_decision IN ('hear', 'not-heard')),
    outcome TEXT CHECK (outcome IN ('upheld', 'not-upheld', 'not-heard')),
    directions TEXT,
    reasons TEXT,
    decided_on TEXT,
    decided_by TEXT,
    anonymised_at TEXT
);

CREATE INDEX casework_asb_appeal_received ON casework_asb_appeal (received_on);

-- Letters sent or printed, as they were worded.
CREATE TABLE casework_asb_letter (
    id TEXT PRIMARY KEY,
    case_type TEXT NOT NULL CHECK (case_type IN ('application', 'appeal')),
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'post')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE INDEX casework_asb_letter_case ON casework_asb_letter (case_type, case_id);

-- Each reminder goes once: the daily task inserts here and emails only when the row is new.
CREATE TABLE casework_asb_reminder (
    case_id TEXT NOT NULL,
    step TEXT NOT NULL,
    due_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (case_id, step, due_on, kind)
);

-- Failed tracker look-ups by address, for throttling guesses.
CREATE TABLE casework_tracker_failure (
    id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    failed_at TEXT NOT NULL
);

CREATE INDEX casework_tracker_failure_address ON casework_tracker_failure (address, failed_at);

-- The office's own wording for letters, replacing the built-in wording of a kind.
CREATE TABLE casework_letter_template (
    kind TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
