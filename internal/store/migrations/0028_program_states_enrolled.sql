-- When each participant enrolled, beside its state (NULL: not enrolled),
-- written with the state. The participation report and a program's
-- enrolled organizations read this column instead of taking each state's
-- JSON apart. States written before are filled from their JSON by the next
-- two migrations, one per engine: reading a time out of JSON is not
-- portable SQL.
ALTER TABLE program_states ADD COLUMN enrolled_ms BIGINT;
