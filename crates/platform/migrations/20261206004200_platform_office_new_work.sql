-- Who is told by email when new work arrives (an application, a request, an appeal, a message, a
-- partner's answer): the office's shared address, the person assigned, or nobody.
ALTER TABLE platform_office ADD COLUMN new_work_to TEXT NOT NULL DEFAULT 'shared-address';
