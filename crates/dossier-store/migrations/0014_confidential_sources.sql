-- Confidential sources (testimonies, informants' accounts): the stored row
-- keeps the kind, the date and a masked body; the title, address, author,
-- note and file name are sealed together in `meta_sealed` (the body as
-- written is in `body_sealed`, as for protected persons).
ALTER TABLE sources ADD COLUMN confidential BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN meta_sealed TEXT;
