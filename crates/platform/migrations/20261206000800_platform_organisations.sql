-- Partner organisations become records that accounts belong to by id (platform::organisations),
-- so renaming one changes nobody's access. Each distinct organisation name typed on an account
-- becomes one record; the free-text column stays but is no longer read.
CREATE TABLE platform_organisation (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('review-body', 'force-psd', 'police-force', 'fire-service', 'council', 'provider', 'other')),
    email TEXT,
    updated_at TEXT
);

CREATE UNIQUE INDEX platform_organisation_name ON platform_organisation (LOWER(name));

ALTER TABLE platform_staff_user ADD COLUMN organisation_id TEXT REFERENCES platform_organisation (id);

INSERT INTO platform_organisation (id, name, kind)
SELECT 'org-' || MIN(id), MIN(TRIM(organisation)), 'other'
FROM platform_staff_user
WHERE organisation IS NOT NULL AND TRIM(organisation) <> ''
GROUP BY LOWER(TRIM(organisation));

UPDATE platform_staff_user
SET organisation_id = (SELECT o.id FROM platform_organisation o WHERE LOWER(o.name) = LOWER(TRIM(platform_staff_user.organisation)))
WHERE organisation IS NOT NULL AND TRIM(organisation) <> '';
