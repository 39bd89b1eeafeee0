package store

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// GetDesign reads a program's card design.
func (t *Tx) GetDesign(ctx context.Context, tenantID, programID string) (card.Design, error) {
	var raw, logo string
	var up int64
	err := t.queryRow(ctx, `SELECT design, logo, updated_ms FROM card_designs WHERE tenant_id = $1 AND program_id = $2`, tenantID, programID).
		Scan(&raw, &logo, &up)
	if err != nil {
		return card.Design{}, notFound(err, "card design of program", programID)
	}
	var d card.Design
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return d, err
	}
	d.ProgramID, d.UpdatedAt = programID, clock.FromMillis(up)
	d.Logo, err = base64.StdEncoding.DecodeString(logo)
	d.HasLogo = len(d.Logo) > 0
	return d, err
}

// PutDesign stores a program's card design.
func (t *Tx) PutDesign(ctx context.Context, tenantID string, d card.Design) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO card_designs (tenant_id, program_id, design, logo, updated_ms) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, program_id) DO UPDATE SET design = excluded.design, logo = excluded.logo, updated_ms = excluded.updated_ms`,
		tenantID, d.ProgramID, string(raw), base64.StdEncoding.EncodeToString(d.Logo), ms(d.UpdatedAt))
	return err
}
