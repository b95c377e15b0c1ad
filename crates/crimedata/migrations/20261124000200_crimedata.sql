-- Police open data, kept as counts: what every measure, chart and hotspot needs, at a size that
-- answers a year's report in milliseconds. The rows themselves are not kept (police.uk already
-- moved each to a snap point; Commissioner reports by LSOA, never by street).
-- Portable SQL (docs/adr/0001-database.md).

-- One run of `crimedata import`, with what it found.
CREATE TABLE crimedata_import (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'done-with-problems', 'failed')),
    sources TEXT NOT NULL,
    files BIGINT NOT NULL DEFAULT 0,
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_bad BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT ''
);

-- Which force-months are held, from which import: re-importing one replaces it whole.
CREATE TABLE crimedata_force_month (
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('street', 'outcomes', 'stop-and-search')),
    rows_imported BIGINT NOT NULL,
    rows_bad BIGINT NOT NULL,
    no_location BIGINT NOT NULL,
    source TEXT NOT NULL,
    import_id TEXT NOT NULL REFERENCES crimedata_import (id),
    imported_at TEXT NOT NULL,
    PRIMARY KEY (force, month, kind)
);

-- Street-level crimes and ASB by LSOA ('' for rows without a location) and crime type.
CREATE TABLE crimedata_street_count (
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    lsoa_code TEXT NOT NULL,
    crime_type TEXT NOT NULL,
    crimes BIGINT NOT NULL,
    PRIMARY KEY (force, month, lsoa_code, crime_type)
);

CREATE INDEX crimedata_street_count_lsoa ON crimedata_street_count (lsoa_code, month);

-- The last outcome of each month's crimes, by crime type ('' for none recorded, as for ASB).
CREATE TABLE crimedata_street_outcome (
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    crime_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    crimes BIGINT NOT NULL,
    PRIMARY KEY (force, month, crime_type, outcome)
);

-- Outcomes recorded in a month (from the outcomes file), whatever month the crime was in.
CREATE TABLE crimedata_outcome_count (
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    outcome TEXT NOT NULL,
    outcomes BIGINT NOT NULL,
    PRIMARY KEY (force, month, outcome)
);

-- Stop and search by what was looked for, what happened, whether the outcome was linked to
-- what was looked for ('yes', 'no', or '' when not recorded) and officer-defined ethnicity.
CREATE TABLE crimedata_stop_count (
    force TEXT NOT NULL,
    month TEXT NOT NULL,
    object TEXT NOT NULL,
    outcome TEXT NOT NULL,
    linked TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    searches BIGINT NOT NULL,
    PRIMARY KEY (force, month, object, outcome, linked, ethnicity)
);

-- Where each LSOA is: its district (local authority), community safety partnership and force,
-- its population and centroid, from the ONS-format files imported with `import-geography`.
CREATE TABLE crimedata_lsoa (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    local_authority_code TEXT NOT NULL DEFAULT '',
    local_authority_name TEXT NOT NULL DEFAULT '',
    csp_name TEXT NOT NULL DEFAULT '',
    force_name TEXT NOT NULL DEFAULT '',
    population BIGINT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX crimedata_lsoa_district ON crimedata_lsoa (local_authority_code);
