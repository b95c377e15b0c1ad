-- The Police and Crime Plan, the Fire and Rescue Plan and other strategies: their tree of
-- priorities, commitments and delivery actions; every change after publication; the quarterly
-- update cycle; locked snapshots; subscriptions to a priority. Portable SQL (docs/adr/0001-database.md).
CREATE TABLE plans_plan (
    id TEXT PRIMARY KEY,
    -- The plan's address: /plans/{slug}.
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('police-and-crime', 'fire-and-rescue', 'strategy')),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'consulted-on', 'published', 'superseded')),
    summary TEXT NOT NULL DEFAULT '',
    -- Where the plan's own document is published (a page or a file), if anywhere.
    document_url TEXT NOT NULL DEFAULT '',
    -- Panel members may read a draft only when it is shared with them.
    shared_with_panel BIGINT NOT NULL DEFAULT 0,
    -- Counts the changes made after publication: 0 until the first.
    version BIGINT NOT NULL DEFAULT 0,
    published_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE plans_priority (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans_plan (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- The outcome the priority aims for, in a sentence or two.
    aim TEXT NOT NULL DEFAULT '',
    withdrawn_on TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plans_priority_plan ON plans_priority (plan_id, position);

CREATE TABLE plans_commitment (
    id TEXT PRIMARY KEY,
    priority_id TEXT NOT NULL REFERENCES plans_priority (id),
    position BIGINT NOT NULL,
    -- What the governing body promises: the plan's "I will …" statement.
    pledge TEXT NOT NULL,
    withdrawn_on TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plans_commitment_priority ON plans_commitment (priority_id, position);

CREATE TABLE plans_action (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans_plan (id),
    commitment_id TEXT NOT NULL REFERENCES plans_commitment (id),
    position BIGINT NOT NULL,
    -- The plan's own reference for the action ("1", "P4a"), unique within the plan.
    reference TEXT NOT NULL,
    key_deliverable TEXT NOT NULL,
    actions TEXT NOT NULL,
    -- The partner that answers for it (platform organisations, by id) and the lead as the plan names them.
    partner_id TEXT,
    lead TEXT NOT NULL DEFAULT '',
    outcome_measure TEXT NOT NULL DEFAULT '',
    horizon TEXT NOT NULL CHECK (horizon IN ('short', 'medium', 'long')),
    status TEXT NOT NULL CHECK (status IN ('not-implemented', 'being-implemented', 'implemented', 'superseded')),
    carried_forward BIGINT NOT NULL DEFAULT 0,
    withdrawn_on TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, reference)
);
CREATE INDEX plans_action_partner ON plans_action (partner_id);
CREATE INDEX plans_action_commitment ON plans_action (commitment_id, position);

-- Dated evidence of progress on an action: entered by the office, or an approved quarterly update.
CREATE TABLE plans_evidence (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES plans_action (id),
    dated_on TEXT NOT NULL,
    words TEXT NOT NULL,
    quarter TEXT,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX plans_evidence_action ON plans_evidence (action_id, dated_on);

-- Every change to a plan after it is published, shown to the public with its reason, so nothing
-- is quietly withdrawn or redefined. Never updated or deleted.
CREATE TABLE plans_change (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans_plan (id),
    version BIGINT NOT NULL,
    changed_on TEXT NOT NULL,
    -- What changed, in the office's words: "Action 4: outcome measure", "Priority 2 withdrawn".
    what TEXT NOT NULL,
    was TEXT NOT NULL,
    now_reads TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX plans_change_plan ON plans_change (plan_id, version);

CREATE TABLE plans_quarter (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans_plan (id),
    -- platform::periods::Quarter::slug: "2026-Q3".
    quarter TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    updates_due_on TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    UNIQUE (plan_id, quarter)
);

-- A lead's update on one action for one quarter, and the office's review of it.
CREATE TABLE plans_update (
    id TEXT PRIMARY KEY,
    quarter_id TEXT NOT NULL REFERENCES plans_quarter (id),
    action_id TEXT NOT NULL REFERENCES plans_action (id),
    state TEXT NOT NULL CHECK (state IN ('awaited', 'submitted', 'sent-back', 'approved')),
    progress TEXT NOT NULL DEFAULT '',
    proposed_status TEXT,
    submitted_at TEXT,
    submitted_by TEXT,
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    reviewed_by TEXT,
    reminded_at TEXT,
    chased_at TEXT,
    chases BIGINT NOT NULL DEFAULT 0,
    -- Bumped by every change, so two people acting on one update at once cannot both succeed.
    revision BIGINT NOT NULL DEFAULT 0,
    UNIQUE (quarter_id, action_id)
);
CREATE INDEX plans_update_state ON plans_update (quarter_id, state);

-- A closed quarter's record of the whole plan: canonical JSON, its SHA-256 (also in the audit
-- log), never updated. Every later report and page for that quarter reads from it.
CREATE TABLE plans_snapshot (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans_plan (id),
    quarter TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    UNIQUE (plan_id, quarter)
);

-- Each action's line of a snapshot, for history across quarters without reading every snapshot.
CREATE TABLE plans_snapshot_action (
    snapshot_id TEXT NOT NULL REFERENCES plans_snapshot (id),
    action_id TEXT NOT NULL,
    quarter TEXT NOT NULL,
    status TEXT NOT NULL,
    progress TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, action_id)
);
CREATE INDEX plans_snapshot_action_action ON plans_snapshot_action (action_id, quarter);

-- The officer's words for the Panel's update report of one snapshot: the report's details, and
-- a narrative per priority.
CREATE TABLE plans_report (
    snapshot_id TEXT PRIMARY KEY REFERENCES plans_snapshot (id),
    meeting_on TEXT,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_role TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE plans_narrative (
    snapshot_id TEXT NOT NULL REFERENCES plans_snapshot (id),
    priority_id TEXT NOT NULL,
    words TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, priority_id)
);

-- An uploaded action plan waiting for the officer to check its preview and confirm.
CREATE TABLE plans_import (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans_plan (id),
    file_name TEXT NOT NULL,
    -- The rows as read (JSON), so nothing uploaded is lost between the preview and the confirm.
    rows_json TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    applied_at TEXT
);

-- People who asked to hear when a priority's delivery is reported: double opt-in.
CREATE TABLE plans_subscription (
    id TEXT PRIMARY KEY,
    priority_id TEXT NOT NULL REFERENCES plans_priority (id),
    email TEXT NOT NULL,
    confirm_token TEXT NOT NULL UNIQUE,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    requested_at TEXT NOT NULL,
    confirmed_at TEXT,
    -- The last update emailed: a subscription nothing has been sent to for the retention period
    -- is deleted (casekit retention).
    last_sent_at TEXT,
    UNIQUE (priority_id, email)
);
