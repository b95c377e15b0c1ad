-- Who signs the office's letters, and their role ("Chief Executive"): a letter is signed by a
-- person once, not by the office's name a second time under its letterhead. Empty until set.
ALTER TABLE platform_office ADD COLUMN signatory_name TEXT NOT NULL DEFAULT '';
ALTER TABLE platform_office ADD COLUMN signatory_role TEXT NOT NULL DEFAULT '';
