-- The years of each nation's bank holidays confirmed by an imported GOV.UK list, and when; a
-- year not here is computed by rule (and may still be moved by a proclamation).
CREATE TABLE platform_calendar_confirmed (
    nation TEXT NOT NULL CHECK (nation IN ('england-and-wales', 'scotland', 'northern-ireland')),
    year INTEGER NOT NULL,
    confirmed_at TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (nation, year)
);
