-- How the public reach the office's data protection officer (UK GDPR art. 13(1)(b) says a privacy
-- notice gives it). Empty until the office sets it.
ALTER TABLE platform_office ADD COLUMN privacy_contact TEXT NOT NULL DEFAULT '';
