-- Placeholder on branch aggscale only: 0023 belongs to another branch merged at the same time.
-- Delete this file when merging (migrations must run without gaps).
SELECT 1;
