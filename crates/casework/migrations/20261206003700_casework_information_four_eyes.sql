-- Who drafted the response, so that it can be approved by someone else (four eyes), and the
-- office's choice: a one-person office may let whoever drafted it approve it.
ALTER TABLE casework_information_request ADD COLUMN drafted_by_id TEXT;
ALTER TABLE casework_information_request ADD COLUMN drafted_by TEXT;
CREATE TABLE casework_information_policy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    drafter_may_approve INTEGER NOT NULL DEFAULT 0
);
