-- Mobile devices that receive a person's push messages: the token their
-- app got from the push provider. A token belongs to one person at a time
-- (a phone handed over moves to its new owner); a token the provider says
-- is gone is deleted when a push finds out.
CREATE TABLE push_devices (
	tenant_id TEXT NOT NULL,
	token TEXT NOT NULL,
	person_id TEXT NOT NULL,
	platform TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, token)
);
CREATE INDEX push_devices_by_person ON push_devices (tenant_id, person_id);
