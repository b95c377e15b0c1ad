-- Police complaint reviews: the office as the relevant review body (Police Reform Act 2002
-- Schedule 3). Portable SQL as in the ASB Case Review's migration.

-- Letters of every service in one table: the ASB table's CHECK on case_type would not take a
-- third kind of case, and one table lets one page and one PDF route serve every service.
CREATE TABLE casework_letter (
    id TEXT PRIMARY KEY,
    case_type TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'post')),
    -- Who it is to, when not the applicant (the force, the person complained about).
    addressee TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

INSERT INTO casework_letter (id, case_type, case_id, kind, channel, subject, body, created_at, created_by)
    SELECT id, case_type, case_id, kind, channel, subject, body, created_at, created_by FROM casework_asb_letter;
DROP TABLE casework_asb_letter;
CREATE INDEX casework_letter_case ON casework_letter (case_type, case_id);

-- The office's settings for the service (one row): the force whose complaints it reviews, whose
-- Professional Standards Department (PSD) partner accounts see its cases, the local targets and
-- the share of closed reviews sampled for quality assurance each quarter.
CREATE TABLE casework_complaint_policy (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    force_name TEXT NOT NULL,
    psd_name TEXT NOT NULL,
    psd_email TEXT NOT NULL,
    timescales TEXT NOT NULL,
    quality_sample_percent BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

-- An application in progress, saved after every page (as the ASB application's drafts are).
CREATE TABLE casework_complaint_draft (
    id TEXT PRIMARY KEY,
    answers TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    review_id TEXT
);

CREATE TABLE casework_complaint_review (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    draft_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    applying_as TEXT NOT NULL CHECK (applying_as IN ('complainant', 'representative')),
    complainant_name TEXT NOT NULL,
    representative_name TEXT,
    representative_relationship TEXT,
    -- How a representative showed the complainant's consent: a document, or their declaration.
    consent_by TEXT CHECK (consent_by IN ('document', 'declaration')),
    contact_method TEXT NOT NULL CHECK (contact_method IN ('email', 'telephone', 'letter')),
    email TEXT,
    telephone TEXT,
    postal_address TEXT,
    postcode TEXT,
    force_reference TEXT NOT NULL,
    outcome_given_on TEXT NOT NULL,
    -- What the outcome letter named as the review body, as the applicant read it.
    stated_review_body TEXT NOT NULL CHECK (stated_review_body IN ('office', 'iopc', 'not-sure')),
    late_reason TEXT,
    needs TEXT,
    timescales TEXT NOT NULL,
    tracker_token_hash TEXT NOT NULL UNIQUE,
    stage TEXT NOT NULL,
    assigned_to TEXT,
    acknowledged_on TEXT,
    -- The validity check.
    forwarded_sent_on TEXT,
    forwarded_arrived_on TEXT,
    schedule_3 BIGINT,
    iopc_reasons TEXT,
    exceptional_circumstances BIGINT,
    validity TEXT CHECK (validity IN ('valid', 'not-reviewable', 'out-of-time', 'forwarded-to-iopc')),
    validity_reasons TEXT,
    validity_decided_on TEXT,
    validity_decided_by TEXT,
    -- The complaint file from the force's PSD.
    file_requested_on TEXT,
    file_due_on TEXT,
    file_received_on TEXT,
    -- The decision.
    decided_on TEXT,
    decided_by TEXT,
    decision_summary TEXT,
    closed_on TEXT,
    anonymised_at TEXT
);

CREATE INDEX casework_complaint_review_stage ON casework_complaint_review (stage);
CREATE INDEX casework_complaint_review_received ON casework_complaint_review (received_on);

-- What the complainant is unhappy about, one row an allegation, with the review's finding.
CREATE TABLE casework_complaint_allegation (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES casework_complaint_review (id),
    position BIGINT NOT NULL,
    summary TEXT NOT NULL,
    unhappy_with TEXT NOT NULL CHECK (unhappy_with IN ('handling', 'outcome', 'both')),
    why TEXT NOT NULL,
    handling_reasonable BIGINT,
    outcome_reasonable BIGINT,
    finding TEXT CHECK (finding IN ('upheld', 'not-upheld')),
    reasons TEXT,
    UNIQUE (review_id, position)
);

-- Questions put to the force's PSD, and their answers.
CREATE TABLE casework_complaint_question (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES casework_complaint_review (id),
    question TEXT NOT NULL,
    asked_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    answer TEXT,
    answered_on TEXT,
    answered_by TEXT
);

CREATE INDEX casework_complaint_question_review ON casework_complaint_question (review_id);

-- Recommendations to the force, tracked until the force has answered and the office closed them.
CREATE TABLE casework_complaint_recommendation (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES casework_complaint_review (id),
    recommendation TEXT NOT NULL,
    respond_by TEXT NOT NULL,
    response_requested_on TEXT,
    chased_on TEXT,
    chase_count BIGINT NOT NULL,
    force_response TEXT CHECK (force_response IN ('accepted', 'partly-accepted', 'not-accepted')),
    response_detail TEXT,
    responded_on TEXT,
    responded_by TEXT,
    closed_on TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX casework_complaint_recommendation_review ON casework_complaint_recommendation (review_id);

-- Quality assurance: closed reviews drawn each quarter for a second reviewer.
CREATE TABLE casework_complaint_quality_check (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL UNIQUE REFERENCES casework_complaint_review (id),
    quarter TEXT NOT NULL,
    sampled_on TEXT NOT NULL,
    checked_by TEXT,
    agrees BIGINT,
    findings TEXT,
    checked_on TEXT
);

CREATE INDEX casework_complaint_quality_check_quarter ON casework_complaint_quality_check (quarter);
