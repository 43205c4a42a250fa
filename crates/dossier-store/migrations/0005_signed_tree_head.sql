-- The tree head's Ed25519 signature and the time it was signed.
ALTER TABLE tree_head ADD COLUMN signed_at TEXT;
ALTER TABLE tree_head ADD COLUMN signature TEXT;
