package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// GetMessageSettings reads a tenant's messaging settings; false: none saved.
func (t *Tx) GetMessageSettings(ctx context.Context, tenantID string) (notify.Settings, bool, error) {
	var s notify.Settings
	var qs, qe, tracking int64
	err := t.queryRow(ctx, `SELECT time_zone, quiet_start, quiet_end, daily_cap, default_lang, tracking FROM message_settings WHERE tenant_id = $1`,
		tenantID).Scan(&s.TimeZone, &qs, &qe, &s.DailyCap, &s.DefaultLang, &tracking)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	s.QuietStart, s.QuietEnd, s.Tracking = hhmm(qs), hhmm(qe), tracking == 1
	return s, err == nil, err
}

func hhmm(m int64) string {
	return time.Date(0, 1, 1, int(m/60), int(m%60), 0, 0, time.UTC).Format("15:04")
}

func fromHHMM(s string) int64 {
	tm, _ := time.Parse("15:04", s)
	return int64(tm.Hour()*60 + tm.Minute())
}

// PutMessageSettings saves a tenant's messaging settings.
func (t *Tx) PutMessageSettings(ctx context.Context, tenantID string, s notify.Settings, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO message_settings (tenant_id, time_zone, quiet_start, quiet_end, daily_cap, default_lang, tracking, updated_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id) DO UPDATE SET time_zone = excluded.time_zone, quiet_start = excluded.quiet_start,
		quiet_end = excluded.quiet_end, daily_cap = excluded.daily_cap, default_lang = excluded.default_lang, tracking = excluded.tracking, updated_ms = excluded.updated_ms`,
		tenantID, s.TimeZone, fromHHMM(s.QuietStart), fromHHMM(s.QuietEnd), s.DailyCap, s.DefaultLang, flag(s.Tracking), ms(at))
	return err
}

// OptOuts lists the channels a person withdrew from.
func (t *Tx) OptOuts(ctx context.Context, tenantID, personID string) ([]string, error) {
	return list(ctx, t, `SELECT channel FROM message_optouts WHERE tenant_id = $1 AND person_id = $2 ORDER BY channel`,
		scanString, tenantID, personID)
}

// PutOptOut records a withdrawal (again: kept as first recorded).
func (t *Tx) PutOptOut(ctx context.Context, tenantID, personID, channel, source string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO message_optouts (tenant_id, person_id, channel, source, at_ms) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, person_id, channel) DO NOTHING`, tenantID, personID, channel, source, ms(at))
	return err
}

// DeleteOptOut opts a person in again.
func (t *Tx) DeleteOptOut(ctx context.Context, tenantID, personID, channel string) error {
	_, err := t.exec(ctx, `DELETE FROM message_optouts WHERE tenant_id = $1 AND person_id = $2 AND channel = $3`, tenantID, personID, channel)
	return err
}

// RecentSends counts a person's sends since a time, with the oldest.
func (t *Tx) RecentSends(ctx context.Context, tenantID, personID string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest sql.NullInt64
	err := t.queryRow(ctx, `SELECT COUNT(*), MIN(at_ms) FROM message_sends WHERE tenant_id = $1 AND person_id = $2 AND at_ms >= $3`,
		tenantID, personID, ms(since)).Scan(&n, &oldest)
	return n, clock.FromMillis(oldest.Int64), err
}

// InsertSend records a message sent; a duplicate delivery adds nothing.
func (t *Tx) InsertSend(ctx context.Context, tenantID string, s notify.Send) error {
	_, err := t.exec(ctx, `INSERT INTO message_sends (tenant_id, id, person_id, channel, template, at_ms) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, id) DO NOTHING`, tenantID, s.ID, s.PersonID, s.Channel, s.Template, ms(s.At))
	return err
}

// InsertInbox puts a message in a person's inbox; a duplicate adds nothing.
func (t *Tx) InsertInbox(ctx context.Context, tenantID string, m notify.InboxMessage) error {
	_, err := t.exec(ctx, `INSERT INTO inbox_messages (tenant_id, id, person_id, subject, body, created_ms) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, id) DO NOTHING`, tenantID, m.ID, m.PersonID, m.Subject, m.Body, ms(m.CreatedAt))
	return err
}

// ListInbox reads a page of a person's inbox, newest first.
func (t *Tx) ListInbox(ctx context.Context, tenantID, personID string, r page.Request) ([]notify.InboxMessage, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("person_id = ?", personID)
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT id, person_id, subject, body, created_ms, read_ms FROM inbox_messages`+w.sql()+` ORDER BY id DESC LIMIT `+limit,
		func(r rowScanner) (notify.InboxMessage, error) {
			var m notify.InboxMessage
			var created int64
			var read sql.NullInt64
			err := r.Scan(&m.ID, &m.PersonID, &m.Subject, &m.Body, &created, &read)
			m.CreatedAt, m.ReadAt = clock.FromMillis(created), fromOptMs(read)
			return m, err
		}, w.args...)
}

// MarkInboxRead marks a message read (once).
func (t *Tx) MarkInboxRead(ctx context.Context, tenantID, personID, id string, at time.Time) (bool, error) {
	return affected(t.exec(ctx, `UPDATE inbox_messages SET read_ms = COALESCE(read_ms, $1) WHERE tenant_id = $2 AND person_id = $3 AND id = $4`,
		ms(at), tenantID, personID, id))
}

// CountUnreadInbox counts a person's unread messages.
func (t *Tx) CountUnreadInbox(ctx context.Context, tenantID, personID string) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM inbox_messages WHERE tenant_id = $1 AND person_id = $2 AND read_ms IS NULL`,
		tenantID, personID).Scan(&n)
	return n, err
}

// InsertUnsubscribeLink stores the hash of an unsubscribe link's secret.
func (t *Tx) InsertUnsubscribeLink(ctx context.Context, hash, tenantID, personID, channel string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO unsubscribe_links (hash, tenant_id, person_id, channel, created_ms) VALUES ($1, $2, $3, $4, $5)`,
		hash, tenantID, personID, channel, ms(at))
	return err
}

// UnsubscribeLink finds a link by its hash.
func (t *Tx) UnsubscribeLink(ctx context.Context, hash string) (string, string, string, error) {
	var tenantID, personID, channel string
	err := t.queryRow(ctx, `SELECT tenant_id, person_id, channel FROM unsubscribe_links WHERE hash = $1`, hash).Scan(&tenantID, &personID, &channel)
	if errors.Is(err, sql.ErrNoRows) {
		err = errs.E(errs.NotFound, "invalid_link", "this unsubscribe link is not valid")
	}
	return tenantID, personID, channel, err
}
