-- Reminders are sent for every case service, not ASB's alone: the table says so.
ALTER TABLE casework_asb_reminder RENAME TO casework_reminder;
