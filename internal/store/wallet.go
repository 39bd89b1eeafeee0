package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/wallet"
)

// RegisterDevice records a device's push token for a card.
func (t *Tx) RegisterDevice(ctx context.Context, tenantID string, r wallet.Registration, at time.Time) (bool, error) {
	created, err := affected(t.exec(ctx, `INSERT INTO wallet_registrations (tenant_id, device_id, card_id, push_token, created_ms)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, tenantID, r.DeviceID, r.CardID, r.PushToken, ms(at)))
	if err != nil || created {
		return created, err
	}
	_, err = t.exec(ctx, `UPDATE wallet_registrations SET push_token = $4 WHERE tenant_id = $1 AND device_id = $2 AND card_id = $3`,
		tenantID, r.DeviceID, r.CardID, r.PushToken)
	return false, err
}

// UnregisterDevice deletes a registration, reporting whether there was one.
func (t *Tx) UnregisterDevice(ctx context.Context, tenantID, deviceID, cardID string) (bool, error) {
	return affected(t.exec(ctx, `DELETE FROM wallet_registrations WHERE tenant_id = $1 AND device_id = $2 AND card_id = $3`,
		tenantID, deviceID, cardID))
}

// DeviceCardsShownSince reads a device's cards whose shown state changed
// after since.
func (t *Tx) DeviceCardsShownSince(ctx context.Context, tenantID, deviceID string, since time.Time) ([]card.Card, error) {
	return list(ctx, t, `SELECT `+prefixed("c.", cardCols)+` FROM wallet_registrations r JOIN cards c ON c.tenant_id = r.tenant_id AND c.id = r.card_id
		WHERE r.tenant_id = $1 AND r.device_id = $2 AND c.shown_ms > $3 ORDER BY c.id LIMIT 1000`, scanCard, tenantID, deviceID, ms(since))
}

// Registrations reads the devices registered for a card.
func (t *Tx) Registrations(ctx context.Context, tenantID, cardID string) ([]wallet.Registration, error) {
	return list(ctx, t, `SELECT device_id, card_id, push_token FROM wallet_registrations WHERE tenant_id = $1 AND card_id = $2 ORDER BY device_id`,
		func(row rowScanner) (wallet.Registration, error) {
			var r wallet.Registration
			return r, row.Scan(&r.DeviceID, &r.CardID, &r.PushToken)
		}, tenantID, cardID)
}

// InsertInstall records a pass added or removed.
func (t *Tx) InsertInstall(ctx context.Context, in wallet.Install) error {
	_, err := t.exec(ctx, `INSERT INTO wallet_installs (tenant_id, id, program_id, card_id, wallet, action, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		in.TenantID, in.ID, in.ProgramID, in.CardID, in.Wallet, in.Action, ms(in.At))
	return err
}

// InsertInstallOnce records a pass added or removed unless a row of
// that id exists already, reporting whether it was recorded.
func (t *Tx) InsertInstallOnce(ctx context.Context, in wallet.Install) (bool, error) {
	return affected(t.exec(ctx, `INSERT INTO wallet_installs (tenant_id, id, program_id, card_id, wallet, action, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT DO NOTHING`, in.TenantID, in.ID, in.ProgramID, in.CardID, in.Wallet, in.Action, ms(in.At)))
}

// InstallCounts counts a program's installs by wallet and action.
func (t *Tx) InstallCounts(ctx context.Context, tenantID, programID string) (map[[2]string]int64, error) {
	rows, err := t.query(ctx, `SELECT wallet, action, COUNT(*) FROM wallet_installs WHERE tenant_id = $1 AND program_id = $2 GROUP BY wallet, action`,
		tenantID, programID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]int64{}
	for rows.Next() {
		var w, a string
		var n int64
		if err := rows.Scan(&w, &a, &n); err != nil {
			return nil, err
		}
		out[[2]string{w, a}] = n
	}
	return out, rows.Err()
}

// WalletMark reads how far the wallet job looked (zero: never).
func (t *Tx) WalletMark(ctx context.Context, tenantID string) (time.Time, error) {
	var m int64
	err := t.queryRow(ctx, `SELECT mark_ms FROM wallet_marks WHERE tenant_id = $1`, tenantID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return clock.FromMillis(m), err
}

// SetWalletMark records how far the wallet job looked.
func (t *Tx) SetWalletMark(ctx context.Context, tenantID string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO wallet_marks (tenant_id, mark_ms) VALUES ($1, $2)
		ON CONFLICT (tenant_id) DO UPDATE SET mark_ms = excluded.mark_ms`, tenantID, ms(at))
	return err
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// HasInstalls reports whether a card's pass went to a wallet.
func (t *Tx) HasInstalls(ctx context.Context, tenantID, cardID, wallet string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM wallet_installs WHERE tenant_id = $1 AND card_id = $2 AND wallet = $3`, tenantID, cardID, wallet)
}

// CardsInWallets returns which of the cards are in a wallet: an Apple
// device registered for them, or their Google save link handed out.
func (t *Tx) CardsInWallets(ctx context.Context, tenantID string, cardIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, chunk := range chunks(cardIDs, 500) {
		in := inList(len(chunk), 2)
		rows, err := t.query(ctx, `SELECT card_id FROM wallet_registrations WHERE tenant_id = $1 AND card_id IN (`+in+`)
			UNION SELECT card_id FROM wallet_installs WHERE tenant_id = $1 AND wallet = 'google' AND card_id IN (`+in+`)`,
			append([]any{tenantID}, anys(chunk)...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
