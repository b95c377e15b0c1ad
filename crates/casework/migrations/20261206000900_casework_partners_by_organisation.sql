-- Partner access by organisation record, not by matching names (platform::organisations): each
-- ASB review body and the complaint reviews' professional standards department is linked to the
-- organisation of the same name (made from accounts by the platform's migration), or to a new
-- one. The names stay for letters; access compares the ids.
ALTER TABLE casework_asb_review_body ADD COLUMN organisation_id TEXT REFERENCES platform_organisation (id);
ALTER TABLE casework_complaint_policy ADD COLUMN psd_organisation_id TEXT REFERENCES platform_organisation (id);

INSERT INTO platform_organisation (id, name, kind, email)
SELECT 'org-asb-' || b.id, TRIM(b.name), 'review-body', b.email
FROM casework_asb_review_body b
WHERE NOT EXISTS (SELECT 1 FROM platform_organisation o WHERE LOWER(o.name) = LOWER(TRIM(b.name)));

UPDATE platform_organisation SET kind = 'review-body'
WHERE kind = 'other' AND LOWER(name) IN (SELECT LOWER(TRIM(name)) FROM casework_asb_review_body);

UPDATE casework_asb_review_body
SET organisation_id = (SELECT o.id FROM platform_organisation o WHERE LOWER(o.name) = LOWER(TRIM(casework_asb_review_body.name)));

INSERT INTO platform_organisation (id, name, kind, email)
SELECT 'org-complaints-psd', TRIM(p.psd_name), 'force-psd', NULLIF(TRIM(p.psd_email), '')
FROM casework_complaint_policy p
WHERE p.id = 1 AND TRIM(p.psd_name) <> ''
  AND NOT EXISTS (SELECT 1 FROM platform_organisation o WHERE LOWER(o.name) = LOWER(TRIM(p.psd_name)));

UPDATE platform_organisation SET kind = 'force-psd'
WHERE kind = 'other' AND LOWER(name) IN (SELECT LOWER(TRIM(psd_name)) FROM casework_complaint_policy);

UPDATE casework_complaint_policy
SET psd_organisation_id = (SELECT o.id FROM platform_organisation o WHERE LOWER(o.name) = LOWER(TRIM(casework_complaint_policy.psd_name)));
