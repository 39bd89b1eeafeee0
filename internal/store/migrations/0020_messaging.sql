-- Messaging: the outbox relay, webhooks, channels.

-- The relay's bookkeeping on each outbox row: attempts so far, when the
-- next is due (0: at once), who holds it and until when (a lease, so that
-- a relay that dies mid-batch loses nothing: its rows come back when the
-- lease runs out), when it went to dead-letter, and the last failure.
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN due_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN dead_ms BIGINT;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_due ON outbox (due_ms, created_ms) WHERE sent_ms IS NULL AND dead_ms IS NULL;
CREATE INDEX outbox_dead ON outbox (tenant_id, dead_ms) WHERE dead_ms IS NOT NULL;

-- Webhook subscriptions. The signing secret is kept as is (a receiver
-- checks an HMAC with it, so it cannot be hashed); after a rotation the
-- previous one keeps signing alongside until prev_until_ms.
CREATE TABLE webhooks (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	url TEXT NOT NULL,
	types TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	secret TEXT NOT NULL,
	prev_secret TEXT NOT NULL DEFAULT '',
	prev_until_ms BIGINT NOT NULL DEFAULT 0,
	disabled_ms BIGINT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- Every webhook delivery attempt, with the receiver's answer.
CREATE TABLE webhook_attempts (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	webhook_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	event_type TEXT NOT NULL,
	attempt BIGINT NOT NULL,
	status_code BIGINT NOT NULL,
	error TEXT NOT NULL DEFAULT '',
	duration_ms BIGINT NOT NULL,
	at_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX webhook_attempts_by_hook ON webhook_attempts (tenant_id, webhook_id, at_ms);

-- The in-portal inbox: messages addressed to a person, read or not.
CREATE TABLE inbox_messages (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	read_ms BIGINT,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX inbox_by_person ON inbox_messages (tenant_id, person_id, created_ms);

-- A person's withdrawals from a channel ('all': every channel but the
-- inbox), by the unsubscribe link or their settings; opting in again
-- deletes the row.
CREATE TABLE message_optouts (
	tenant_id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	source TEXT NOT NULL,
	at_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, person_id, channel)
);

-- What each person was sent, by channel, for frequency caps and reach.
CREATE TABLE message_sends (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	template TEXT NOT NULL,
	at_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX message_sends_by_person ON message_sends (tenant_id, person_id, at_ms);

-- A tenant's messaging settings: its time zone, quiet hours (minutes
-- after midnight; equal: none), the most messages a person gets a day,
-- and whether opens and clicks are tracked.
CREATE TABLE message_settings (
	tenant_id TEXT PRIMARY KEY,
	time_zone TEXT NOT NULL,
	quiet_start BIGINT NOT NULL,
	quiet_end BIGINT NOT NULL,
	daily_cap BIGINT NOT NULL,
	default_lang TEXT NOT NULL,
	tracking BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL
);

-- Unsubscribe links: only the hash of the link's secret is kept.
CREATE TABLE unsubscribe_links (
	hash TEXT PRIMARY KEY,
	tenant_id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	used_ms BIGINT
);

-- Message templates per code, channel, member role ('' any) and language.
CREATE TABLE message_templates (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	code TEXT NOT NULL,
	channel TEXT NOT NULL,
	role TEXT NOT NULL,
	lang TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	html TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX message_templates_key ON message_templates (tenant_id, code, channel, role, lang);

-- Campaigns: a template sent to the active members of a segment's
-- organizations (or all) with given roles (or any), now or at a time.
CREATE TABLE message_campaigns (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	template TEXT NOT NULL,
	segment_id TEXT NOT NULL,
	roles TEXT NOT NULL,
	status TEXT NOT NULL,
	scheduled_ms BIGINT,
	sent_ms BIGINT,
	audience BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX message_campaigns_due ON message_campaigns (status, scheduled_ms);
