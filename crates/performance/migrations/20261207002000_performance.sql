-- Measures for police and fire: versioned catalogues, the figures from open data and returns,
-- most similar groups, locked quarterly snapshots with the office's commentary, and inspections
-- with their findings. Portable SQL (docs/adr/0001-database.md).

-- A catalogue of measures as loaded from a file: the 2021 National Crime and Policing Measures,
-- the Police Performance Framework, local measures, fire measures. Each load is a version.
CREATE TABLE performance_catalogue (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- Where the list comes from and when it took effect.
    source TEXT NOT NULL DEFAULT '',
    effective_on TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    UNIQUE (slug, version)
);

-- One version of one measure. A redefinition (new data, unit or frequency) makes a new version;
-- the old stays, marked with the date and reason, and its figures stay with it.
CREATE TABLE performance_measure (
    id TEXT PRIMARY KEY,
    catalogue_slug TEXT NOT NULL,
    key TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The catalogue version that brought this version in.
    catalogue_id TEXT NOT NULL REFERENCES performance_catalogue (id),
    position BIGINT NOT NULL,
    -- The definition as the file gave it (model::Definition as JSON).
    definition TEXT NOT NULL,
    name TEXT NOT NULL,
    service TEXT NOT NULL CHECK (service IN ('police', 'fire')),
    theme TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'redefined')),
    ended_on TEXT,
    ended_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (catalogue_slug, key, version)
);
CREATE INDEX performance_measure_key ON performance_measure (key, status);

-- The plan commitments a measure evidences (plans' commitments, by id, through plans' public
-- functions).
CREATE TABLE performance_measure_commitment (
    measure_key TEXT NOT NULL,
    commitment_id TEXT NOT NULL,
    PRIMARY KEY (measure_key, commitment_id)
);

-- An import of an open data table: held for a preview (the file kept in file storage), then
-- applied or discarded. The vintage is the publisher's release the office says it is.
CREATE TABLE performance_import (
    id TEXT PRIMARY KEY,
    dataset TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    vintage TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('held', 'applied', 'discarded')),
    -- What the preview found (counts, problems by row, rows set aside) as JSON.
    summary TEXT NOT NULL,
    -- What applying changed since the previous vintage, as JSON.
    changes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    applied_at TEXT
);
CREATE INDEX performance_import_dataset ON performance_import (dataset, created_at);

-- The current figure for each key of each dataset; `import_id` is the vintage it came from.
CREATE TABLE performance_observation (
    dataset TEXT NOT NULL,
    area TEXT NOT NULL,
    period TEXT NOT NULL,
    category TEXT NOT NULL,
    grouping TEXT NOT NULL,
    subgroup TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    second DOUBLE PRECISION,
    import_id TEXT NOT NULL,
    -- The key leads with (dataset, area, period): the pages' and the imports' lookups.
    PRIMARY KEY (dataset, area, period, category, grouping, subgroup)
);

-- One row counting every change to what the public pages are made from: each write bumps it in
-- its own transaction, so a page checks one row to know whether what it made is still true.
CREATE TABLE performance_stamp (
    id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO performance_stamp (id, version) VALUES (1, 0);

-- A figure a later vintage replaced or dropped, kept so nothing an import brought is lost.
CREATE TABLE performance_revision (
    -- The import (or "return:" and a return's id) that replaced the figure.
    import_id TEXT NOT NULL,
    dataset TEXT NOT NULL,
    area TEXT NOT NULL,
    period TEXT NOT NULL,
    category TEXT NOT NULL,
    grouping TEXT NOT NULL,
    subgroup TEXT NOT NULL,
    old_value DOUBLE PRECISION NOT NULL,
    old_second DOUBLE PRECISION,
    new_value DOUBLE PRECISION,
    old_import_id TEXT NOT NULL
);
CREATE INDEX performance_revision_import ON performance_revision (import_id);

-- Residents by area and year, for rates per 1,000 (source and year said beside every rate).
CREATE TABLE performance_population (
    area TEXT NOT NULL,
    year BIGINT NOT NULL,
    residents BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (area, year)
);

-- Each area's most similar group: up to seven comparators, chosen by the office (not
-- symmetric: a comparator's own group may differ).
CREATE TABLE performance_comparator (
    area TEXT NOT NULL,
    member TEXT NOT NULL,
    position BIGINT NOT NULL,
    -- Where the group comes from ("Home Office MSG 2021", "chosen by the office").
    source TEXT NOT NULL,
    PRIMARY KEY (area, member)
);

-- A return from the force or the fire service for a period: a template's items, entered by a
-- partner user or uploaded, then approved or queried by the office.
CREATE TABLE performance_return (
    id TEXT PRIMARY KEY,
    template TEXT NOT NULL,
    -- The organisation that makes the return (platform organisations, by id).
    organisation_id TEXT NOT NULL,
    period TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'queried')),
    query TEXT NOT NULL DEFAULT '',
    revision BIGINT NOT NULL DEFAULT 0,
    submitted_by TEXT,
    submitted_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    UNIQUE (template, period)
);

CREATE TABLE performance_return_value (
    return_id TEXT NOT NULL REFERENCES performance_return (id),
    measure_key TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- Why the value was flagged against the previous periods (empty when it was not).
    flag TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (return_id, measure_key)
);

-- A locked quarter: every active measure's series, chart and comparison as they stood, in
-- canonical JSON with its SHA-256, written into the audit chain. Never updated.
CREATE TABLE performance_snapshot (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL CHECK (service IN ('police', 'fire')),
    quarter TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    locked_by TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    UNIQUE (service, quarter)
);

-- The office's commentary on a measure in a locked quarter's pack.
CREATE TABLE performance_commentary (
    snapshot_id TEXT NOT NULL REFERENCES performance_snapshot (id),
    measure_key TEXT NOT NULL,
    words TEXT NOT NULL,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, measure_key)
);

-- An HMICFRS inspection as a sourced record.
CREATE TABLE performance_inspection (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL CHECK (service IN ('police', 'fire')),
    programme TEXT NOT NULL,
    -- The grading scale: 'four' (to 2018/19), 'five' (from 2021/22), 'none'.
    scale TEXT NOT NULL CHECK (scale IN ('four', 'five', 'none')),
    published_on TEXT NOT NULL,
    report_url TEXT NOT NULL,
    -- Grades by question, as JSON [[question, grade], ...].
    grades TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);

CREATE TABLE performance_finding (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES performance_inspection (id),
    kind TEXT NOT NULL CHECK (kind IN ('cause-of-concern', 'recommendation', 'area-for-improvement')),
    reference TEXT NOT NULL DEFAULT '',
    words TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'in-progress', 'completed')),
    completed_on TEXT
);
CREATE INDEX performance_finding_inspection ON performance_finding (inspection_id);

CREATE TABLE performance_finding_update (
    id TEXT PRIMARY KEY,
    finding_id TEXT NOT NULL REFERENCES performance_finding (id),
    words TEXT NOT NULL,
    status TEXT NOT NULL,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL
);
CREATE INDEX performance_finding_update_finding ON performance_finding_update (finding_id, written_at);
