-- When each account last signed in (shown to administrators), and the time before that (so a
-- person's home page can say what changed since they were last here).
ALTER TABLE platform_staff_user ADD COLUMN last_signed_in_at TEXT;
ALTER TABLE platform_staff_user ADD COLUMN previous_signed_in_at TEXT;
