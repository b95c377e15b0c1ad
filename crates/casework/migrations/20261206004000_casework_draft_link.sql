-- "Email me a link to come back": a link that opens a draft (of any journey) in whichever
-- browser follows it. Only the hash of the link's secret is kept; it lasts as long as the draft.
CREATE TABLE casework_draft_link (
    token_hash TEXT PRIMARY KEY,
    drafts_table TEXT NOT NULL,
    draft_id TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
