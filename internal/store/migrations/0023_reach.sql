-- Reach and feedback: opens and clicks of e-mail, when a member saw an
-- inbox message, who a campaign was sent to, and surveys.

-- The key that signs a tenant's tracking and survey links (made on first
-- use; the same for every replica since it lives here).
CREATE TABLE message_keys (
	tenant_id TEXT PRIMARY KEY,
	secret TEXT NOT NULL,
	created_ms BIGINT NOT NULL
);

-- Opens (the e-mail's pixel) and clicks (its rewritten links) of one
-- message, by the message's id: the first time and how many times.
CREATE TABLE message_tracking (
	tenant_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	opened_ms BIGINT,
	clicked_ms BIGINT,
	opens BIGINT NOT NULL DEFAULT 0,
	clicks BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant_id, message_id)
);

-- When the member first had the message in front of them on the portal.
ALTER TABLE inbox_messages ADD COLUMN seen_ms BIGINT;

-- A campaign's audience as counted when it was sent: each person with the
-- roles and organization they had then, and their message's id.
CREATE TABLE campaign_recipients (
	tenant_id TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	roles TEXT NOT NULL,
	PRIMARY KEY (tenant_id, campaign_id, person_id)
);

-- The segments each recipient's organization belonged to at that moment.
CREATE TABLE campaign_recipient_segments (
	tenant_id TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	segment_id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	PRIMARY KEY (tenant_id, campaign_id, segment_id, person_id)
);

-- Surveys: questions (JSON) and the template code whose messages carry
-- the survey's link; at most one survey per template code.
CREATE TABLE surveys (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	template TEXT NOT NULL,
	questions TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX surveys_by_template ON surveys (tenant_id, template);

-- One answer per person per survey (a second is refused): the answers
-- as JSON, where it was given (portal, email, api) and when.
CREATE TABLE survey_answers (
	tenant_id TEXT NOT NULL,
	survey_id TEXT NOT NULL,
	person_id TEXT NOT NULL,
	answers TEXT NOT NULL,
	via TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, survey_id, person_id)
);
