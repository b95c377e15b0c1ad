-- The Police, Fire and Crime Panel: members, meetings with their agendas and papers (run here or
-- imported from the host council's ModernGov), attendance and declarations, questions with the
-- responses promised, the precept rounds and confirmation hearings. Portable SQL
-- (docs/adr/0001-database.md).

-- Where the Panel's meetings come from when the host council runs them in ModernGov.
CREATE TABLE panel_source (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    -- The web service's address, ending mgWebService.asmx; empty when the Panel runs here.
    service_url TEXT NOT NULL DEFAULT '',
    committee_id TEXT NOT NULL DEFAULT '',
    committee_title TEXT NOT NULL DEFAULT '',
    last_import_at TEXT,
    last_result TEXT NOT NULL DEFAULT ''
);
INSERT INTO panel_source (id) VALUES (1);

-- A member of the Panel: a councillor appointed by one of the area's councils, or an independent
-- co-opted member. Terms of office end; past members stay on the record.
CREATE TABLE panel_member (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('councillor', 'independent')),
    council TEXT NOT NULL DEFAULT '',
    party TEXT NOT NULL DEFAULT '',
    -- Chair, Vice-Chair or Member.
    position TEXT NOT NULL DEFAULT 'Member',
    term_from TEXT NOT NULL,
    term_to TEXT,
    -- The ModernGov member id when imported.
    external_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (external_id)
);

CREATE TABLE panel_meeting (
    id TEXT PRIMARY KEY,
    -- When it starts, as a UTC timestamp (pages show UK time).
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    webcast_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled', 'postponed')),
    -- The last day the public may send questions.
    questions_close TEXT NOT NULL,
    -- 'office' when run here; 'modern-gov' when imported (and then read-only here).
    source TEXT NOT NULL CHECK (source IN ('office', 'modern-gov')),
    external_id TEXT,
    minutes_published BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (external_id)
);
CREATE INDEX panel_meeting_starts ON panel_meeting (starts_at);

-- An item of business. Part 2 (exempt) items are seen by the Panel's members and officers only,
-- with the paragraph of Schedule 12A given as the reason.
CREATE TABLE panel_item (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES panel_meeting (id),
    position BIGINT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    exempt BIGINT NOT NULL DEFAULT 0,
    exempt_reason TEXT NOT NULL DEFAULT '',
    -- The minute of the item and what was resolved, once the minutes are written.
    minutes TEXT NOT NULL DEFAULT '',
    resolution TEXT NOT NULL DEFAULT '',
    external_id TEXT,
    UNIQUE (meeting_id, position)
);

-- A paper for an item: uploaded, generated here (frozen as it was made), or imported from
-- ModernGov. Papers published after the agenda are supplements, numbered once and for good.
CREATE TABLE panel_paper (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES panel_meeting (id),
    item_id TEXT NOT NULL REFERENCES panel_item (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('uploaded', 'generated', 'imported')),
    -- What made a generated paper (the plan update report, a performance pack, …).
    generated_from TEXT NOT NULL DEFAULT '',
    -- The page's HTML of a generated paper, as made.
    html TEXT NOT NULL DEFAULT '',
    -- The stored file (platform_file.id) of an uploaded or fetched paper.
    file_id TEXT,
    -- Where an imported paper is published by the host council.
    source_url TEXT NOT NULL DEFAULT '',
    supplement BIGINT,
    exempt BIGINT NOT NULL DEFAULT 0,
    published_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT '',
    external_id TEXT,
    UNIQUE (meeting_id, supplement)
);
CREATE INDEX panel_paper_meeting ON panel_paper (meeting_id);

CREATE TABLE panel_attendance (
    meeting_id TEXT NOT NULL REFERENCES panel_meeting (id),
    member_id TEXT NOT NULL REFERENCES panel_member (id),
    attendance TEXT NOT NULL CHECK (attendance IN ('present', 'apologies', 'absent')),
    substitute TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE panel_declaration (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES panel_meeting (id),
    member_id TEXT NOT NULL REFERENCES panel_member (id),
    item_id TEXT REFERENCES panel_item (id),
    interest TEXT NOT NULL
);

-- A question to the Commissioner at a meeting, from the public (through the online form, with
-- their name and an email address kept for the reply) or from a member. A "will provide a
-- response" is a promise with a due date, chased until answered and published when it is.
CREATE TABLE panel_question (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    meeting_id TEXT NOT NULL REFERENCES panel_meeting (id),
    asker TEXT NOT NULL CHECK (asker IN ('public', 'member')),
    asker_name TEXT NOT NULL,
    -- The public asker's email address; emptied when the question's record is kept no longer.
    email TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'declined', 'answered', 'promised')),
    decline_reason TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    answered_on TEXT,
    promised_due TEXT,
    response TEXT NOT NULL DEFAULT '',
    responded_on TEXT,
    last_chased_on TEXT,
    submitted_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX panel_question_meeting ON panel_question (meeting_id);

-- A precept round: one a financial year for each precept. Amounts are Band D in pence; each
-- step's date is kept, and a step is taken only as precept::Round::apply allows.
CREATE TABLE panel_precept (
    id TEXT PRIMARY KEY,
    year BIGINT NOT NULL,
    precept TEXT NOT NULL CHECK (precept IN ('police', 'fire')),
    current_band_d BIGINT NOT NULL,
    proposed_band_d BIGINT,
    notified_on TEXT,
    report TEXT,
    report_on TEXT,
    votes_for_veto BIGINT,
    current_members BIGINT,
    revised_band_d BIGINT,
    revised_on TEXT,
    second_report_on TEXT,
    responded_on TEXT,
    issued_band_d BIGINT,
    issued_on TEXT,
    -- The words of the Panel's report and the response, as published.
    report_words TEXT NOT NULL DEFAULT '',
    response_words TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 0,
    UNIQUE (year, precept)
);

-- A confirmation hearing for a proposed appointment.
CREATE TABLE panel_hearing (
    id TEXT PRIMARY KEY,
    post TEXT NOT NULL,
    candidate TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    hearing_on TEXT,
    outcome TEXT CHECK (outcome IN ('recommended', 'recommended-against', 'vetoed')),
    votes_for_veto BIGINT,
    current_members BIGINT,
    report_on TEXT,
    report_words TEXT NOT NULL DEFAULT ''
);

-- The Panel's recommendations to the Commissioner (in its reports on the plan, the annual report,
-- the precept, a hearing, or its scrutiny), each with the response due and the response given.
CREATE TABLE panel_recommendation (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    meeting_id TEXT REFERENCES panel_meeting (id),
    report TEXT NOT NULL CHECK (report IN ('plan', 'annual-report', 'precept', 'hearing', 'scrutiny')),
    words TEXT NOT NULL,
    made_on TEXT NOT NULL,
    response_due TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    responded_on TEXT,
    last_chased_on TEXT,
    version BIGINT NOT NULL DEFAULT 0
);

-- Complaints about the Commissioner or the deputy. Confidential: the Panel's officers only. The
-- Panel resolves non-criminal complaints informally; criminal and conduct matters are referred
-- to the IOPC. Only the count is published.
CREATE TABLE panel_complaint (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    received_on TEXT NOT NULL,
    about TEXT NOT NULL CHECK (about IN ('commissioner', 'deputy')),
    complainant TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    route TEXT NOT NULL CHECK (route IN ('panel', 'iopc')),
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'referred', 'withdrawn')),
    acknowledged_on TEXT,
    closed_on TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 0
);

-- The Commissioner's annual report for a financial year: the office's words while a draft; once
-- published (after the year ends), the page, the CSV of every figure and the PDF as made, frozen.
CREATE TABLE panel_annual_report (
    year BIGINT PRIMARY KEY,
    narrative TEXT NOT NULL DEFAULT '',
    case_studies TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    html TEXT NOT NULL DEFAULT '',
    figures_csv TEXT NOT NULL DEFAULT '',
    pdf_file_id TEXT,
    published_at TEXT,
    -- The Panel's review, from the public meeting that considered the report.
    review TEXT NOT NULL DEFAULT '',
    reviewed_on TEXT,
    version BIGINT NOT NULL DEFAULT 0
);

-- Photographs in an annual report, each with what it shows in words (its alternative text).
CREATE TABLE panel_annual_photo (
    id TEXT PRIMARY KEY,
    year BIGINT NOT NULL REFERENCES panel_annual_report (year),
    file_id TEXT NOT NULL,
    alt TEXT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
