-- Security (threat model in docs/SECURITY.md).

-- The coalition partners whose events may use a campaign's codes: a JSON
-- list of partner ids, none by default (a partner's key may not spend the
-- operator's codes unless the campaign grants them).
ALTER TABLE promo_campaigns ADD COLUMN partners TEXT NOT NULL DEFAULT '[]';

-- Four-eyes: who created each staff user, and who last changed its role
-- or enabled it again, and when, so that an approver the requester made
-- or empowered for the request is refused. Actors read as API keys'
-- created_by does: api_key:<id>, staff:<id>, system:system ('' before).
ALTER TABLE staff_users ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_users ADD COLUMN empowered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_users ADD COLUMN empowered_ms BIGINT;

-- A tenant's own request rate (requests a second per server; 0: the
-- server's default), set by the platform operator.
ALTER TABLE tenants ADD COLUMN rate_limit BIGINT NOT NULL DEFAULT 0;
