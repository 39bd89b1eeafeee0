-- program_states.enrolled_ms of the states written before it (see 0028).
-- Stored times are whole milliseconds; julianday's double holds them to
-- within microseconds, so rounding gives them back exactly.
UPDATE program_states
SET enrolled_ms = CAST(ROUND((julianday(json_extract(state, '$.enrolled_at')) - 2440587.5) * 86400000) AS INTEGER)
WHERE owner_type <> 'program' AND json_extract(state, '$.enrolled_at') IS NOT NULL;
