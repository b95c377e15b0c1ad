-- How far a running import has got (downloading the archive, then reading its files), written
-- about once a second so the staff page can show it while it runs.
ALTER TABLE crimedata_import ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE crimedata_import ADD COLUMN bytes_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE crimedata_import ADD COLUMN bytes_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE crimedata_import ADD COLUMN progress_at TEXT;
