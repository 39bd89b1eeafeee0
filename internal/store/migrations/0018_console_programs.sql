-- The operator console's programs: when the tenant requires a second
-- person to approve program changes, a draft's activation (to active or
-- to a pilot) waits for approval. pending_move holds the requested move
-- as JSON (status, pilot and control groups, period, who asked and when),
-- '' when none waits.
ALTER TABLE programs ADD COLUMN pending_move TEXT NOT NULL DEFAULT '';
