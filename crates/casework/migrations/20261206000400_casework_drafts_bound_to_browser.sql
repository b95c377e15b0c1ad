-- A draft opens only in the browser that started it (issue 13): the SHA-256 of that browser's
-- key (the essential cookie commissioner_visitor). Drafts from before stay open by their link.
ALTER TABLE casework_asb_draft ADD COLUMN browser_key_hash TEXT;
ALTER TABLE casework_complaint_draft ADD COLUMN browser_key_hash TEXT;
ALTER TABLE casework_information_draft ADD COLUMN browser_key_hash TEXT;
