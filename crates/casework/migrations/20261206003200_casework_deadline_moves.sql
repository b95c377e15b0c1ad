-- Deadlines a change to the bank holidays moved, one row a case and step, shown on the case page.
CREATE TABLE casework_deadline_move (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    case_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    step TEXT NOT NULL,
    was_due_on TEXT NOT NULL,
    now_due_on TEXT NOT NULL,
    why TEXT NOT NULL,
    moved_at TEXT NOT NULL
);
CREATE INDEX casework_deadline_move_case ON casework_deadline_move (case_id, moved_at);
