-- Security (threat model in docs/SECURITY.md).

-- The coalition partners whose events may use a campaign's codes: a JSON
-- list of partner ids, none by default (a partner's key may not spend the
-- operator's codes unless the campaign grants them).
ALTER TABLE promo_campaigns ADD COLUMN partners TEXT NOT NULL DEFAULT '[]';
