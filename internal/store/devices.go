package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// PutDevice registers a device token to a person; a token already known
// moves to this person (a phone that changed hands).
func (t *Tx) PutDevice(ctx context.Context, tenantID string, d notify.Device) error {
	_, err := t.exec(ctx, `INSERT INTO push_devices (tenant_id, token, person_id, platform, created_ms) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, token) DO UPDATE SET person_id = excluded.person_id, platform = excluded.platform, created_ms = excluded.created_ms`,
		tenantID, d.Token, d.PersonID, d.Platform, ms(d.CreatedAt))
	return err
}

// DeleteDevice removes a person's device token; false: they had none such.
func (t *Tx) DeleteDevice(ctx context.Context, tenantID, personID, token string) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM push_devices WHERE tenant_id = $1 AND person_id = $2 AND token = $3`, tenantID, personID, token)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DevicesOf lists a person's device tokens, oldest first.
func (t *Tx) DevicesOf(ctx context.Context, tenantID, personID string) ([]notify.Device, error) {
	return list(ctx, t, `SELECT token, person_id, platform, created_ms FROM push_devices WHERE tenant_id = $1 AND person_id = $2
		ORDER BY created_ms, token LIMIT 20`, func(r rowScanner) (notify.Device, error) {
		var d notify.Device
		var at int64
		err := r.Scan(&d.Token, &d.PersonID, &d.Platform, &at)
		d.CreatedAt = clock.FromMillis(at)
		return d, err
	}, tenantID, personID)
}
