-- Harm weights by police.uk crime type: imported tables (a Crime Severity Score style table, a
-- crime harm index), each with where it came from and its vintage. Never built in: which weights
-- an office uses is its choice, and a figure always names the table it used.
CREATE TABLE crimedata_harm_table (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    vintage TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE crimedata_harm_weight (
    table_name TEXT NOT NULL REFERENCES crimedata_harm_table (name) ON DELETE CASCADE,
    crime_type TEXT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (table_name, crime_type)
);
