-- program_states.enrolled_ms of the states written before it (see 0028),
-- in whole milliseconds as every stored time.
UPDATE program_states
SET enrolled_ms = floor(EXTRACT(EPOCH FROM (state::jsonb->>'enrolled_at')::timestamptz) * 1000)::bigint
WHERE owner_type <> 'program' AND state::jsonb->>'enrolled_at' IS NOT NULL;
