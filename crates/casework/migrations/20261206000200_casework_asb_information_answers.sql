-- Every answer an agency gives to an ASB information request, with who gave it and when. The
-- request row keeps the first answer; nothing later overwrites it (issue 13).
CREATE TABLE casework_asb_information_answer (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES casework_asb_information_request (id),
    response TEXT NOT NULL,
    responded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX casework_asb_information_answer_request ON casework_asb_information_answer (request_id, recorded_at);

-- Answers already given are their first entries.
INSERT INTO casework_asb_information_answer (id, request_id, response, responded_by, recorded_at)
SELECT id, id, response, COALESCE(responded_by, ''), COALESCE(responded_on, requested_on) || 'T00:00:00.000000Z'
FROM casework_asb_information_request WHERE response IS NOT NULL;
