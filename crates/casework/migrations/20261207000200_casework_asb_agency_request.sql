-- An ASB case review's request for information goes to a named contact at a partner
-- organisation (platform_organisation_contact), by email with a secure link to answer in text
-- and documents, and is chased while overdue. The contact's name and address are copied here so
-- the request still says who was asked after the contact is removed. Older requests, typed as
-- free text, keep their agency name and no contact.
ALTER TABLE casework_asb_information_request ADD COLUMN organisation_id TEXT REFERENCES platform_organisation (id);
ALTER TABLE casework_asb_information_request ADD COLUMN contact_id TEXT REFERENCES platform_organisation_contact (id);
ALTER TABLE casework_asb_information_request ADD COLUMN contact_name TEXT;
ALTER TABLE casework_asb_information_request ADD COLUMN contact_email TEXT;
-- SHA-256 of the secret in the newest email's link; a chase sends a new link and replaces it.
ALTER TABLE casework_asb_information_request ADD COLUMN link_hash TEXT;
ALTER TABLE casework_asb_information_request ADD COLUMN link_expires_at TEXT;
ALTER TABLE casework_asb_information_request ADD COLUMN chased_on TEXT;
ALTER TABLE casework_asb_information_request ADD COLUMN chase_count BIGINT NOT NULL DEFAULT 0;

CREATE UNIQUE INDEX casework_asb_information_request_link ON casework_asb_information_request (link_hash);

-- The documents an answer came with (platform_file ids, as a JSON list).
ALTER TABLE casework_asb_information_answer ADD COLUMN documents TEXT;
