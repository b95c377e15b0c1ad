-- Portable SQL: this file runs unchanged on SQLite and PostgreSQL (docs/adr/0001-database.md).

-- The office this installation serves. One row, id = 1.
CREATE TABLE platform_office (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    area TEXT NOT NULL,
    email TEXT NOT NULL,
    telephone TEXT NOT NULL,
    postal_address TEXT NOT NULL,
    introduction TEXT NOT NULL,
    is_demo BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- Reference numbers such as CON-2026-000123: one counter per prefix and year, advanced
-- atomically with an upsert so two submissions never share a number.
CREATE TABLE platform_reference_sequence (
    prefix TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);

-- One-off changes to the bank-holiday rules (a holiday added by proclamation, or a regular one
-- moved away). The rules themselves are code; these rows are data administrators extend.
CREATE TABLE platform_calendar_change (
    id TEXT PRIMARY KEY,
    holiday_date TEXT NOT NULL,
    nation TEXT NOT NULL CHECK (nation IN ('england-and-wales', 'scotland', 'northern-ireland')),
    change_kind TEXT NOT NULL CHECK (change_kind IN ('added', 'removed')),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (holiday_date, nation, change_kind)
);
