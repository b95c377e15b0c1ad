-- The disclosure log's compliance rate, worked out once and kept until a request changes (or
-- the day or hour turns), rather than over every request on every public view (issue 13).
-- `version` goes up with every change, so figures worked out from older data are never kept.
CREATE TABLE casework_information_compliance (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    computed_version BIGINT NOT NULL,
    computed_for TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    figures TEXT NOT NULL
);
INSERT INTO casework_information_compliance (id, version, computed_version, computed_for, computed_at, figures)
VALUES (1, 1, 0, '', '', '[]');
