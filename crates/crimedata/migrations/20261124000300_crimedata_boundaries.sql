-- LSOA outlines for maps: the outer rings as "lon,lat lon,lat …", rings separated by ";".
CREATE TABLE crimedata_lsoa_boundary (
    code TEXT PRIMARY KEY,
    rings TEXT NOT NULL,
    source TEXT NOT NULL
);
