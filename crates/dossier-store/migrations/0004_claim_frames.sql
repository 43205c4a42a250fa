-- The event of a report a claim belongs to: 0 for the event the report is
-- about, 1, 2… for earlier events it mentions with their own dates.
ALTER TABLE claims ADD COLUMN frame BIGINT NOT NULL DEFAULT 0;
