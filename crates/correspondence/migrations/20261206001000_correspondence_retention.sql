-- Messages from the public are kept for a retention period like every case (casekit::retention):
-- the day a message's personal details were removed.
ALTER TABLE correspondence_contact_message ADD COLUMN anonymised_at TEXT;
