-- Who governs policing (and fire) in the area, and the police force area it covers (police.uk's
-- name for it). Governance changes take effect from a date and keep their history, so documents
-- and decisions keep the name of their time. Offices set up before this were shown as a Police,
-- Fire and Crime Commissioner, which is what they stay until an administrator says otherwise.
ALTER TABLE platform_office ADD COLUMN governance TEXT NOT NULL DEFAULT 'pfcc'
    CHECK (governance IN ('pcc', 'pfcc', 'mayor', 'mayor-fire', 'board'));
ALTER TABLE platform_office ADD COLUMN force_area TEXT NOT NULL DEFAULT '';

CREATE TABLE platform_governance_change (
    id TEXT PRIMARY KEY,
    effective_from TEXT NOT NULL,
    governance TEXT NOT NULL CHECK (governance IN ('pcc', 'pfcc', 'mayor', 'mayor-fire', 'board')),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX platform_governance_change_from ON platform_governance_change (effective_from);
