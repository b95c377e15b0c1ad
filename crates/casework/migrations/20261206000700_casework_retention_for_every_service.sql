-- Retention periods for every case service, set on one administrator page (casekit::retention).
-- ASB case reviews kept theirs in their own settings; it moves here, and the old column is no
-- longer read.
CREATE TABLE casework_retention (
    service TEXT PRIMARY KEY,
    years BIGINT NOT NULL CHECK (years BETWEEN 1 AND 100),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

INSERT INTO casework_retention (service, years, updated_at, updated_by)
SELECT 'asb-case-reviews', retention_years, updated_at, 'ASB case review settings'
FROM casework_asb_policy WHERE id = 1;
