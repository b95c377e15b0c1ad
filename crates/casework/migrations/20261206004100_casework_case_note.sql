-- Notes and contacts on any case (casekit::notes): filed like its letters, under the case's type
-- and id, with its reference for a subject access export. Removed with the case's personal details.
CREATE TABLE casework_case_note (
    id TEXT PRIMARY KEY,
    case_type TEXT NOT NULL,
    case_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_by_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX casework_case_note_case ON casework_case_note (case_type, case_id);
CREATE INDEX casework_case_note_reference ON casework_case_note (reference);
