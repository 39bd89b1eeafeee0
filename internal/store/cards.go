package store

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const cardCols = `tenant_id, id, program_id, owner_type, owner_id, organization_id, number, serial, status, shown, shown_before, shown_ms,
	created_ms, updated_ms`

func scanCard(row rowScanner) (card.Card, error) {
	var c card.Card
	var sh, cr, up int64
	err := row.Scan(&c.TenantID, &c.ID, &c.ProgramID, &c.OwnerType, &c.OwnerID, &c.OrganizationID, &c.Number, &c.Serial, &c.Status,
		&c.Shown, &c.ShownBefore, &sh, &cr, &up)
	c.ShownAt, c.CreatedAt, c.UpdatedAt = clock.FromMillis(sh), clock.FromMillis(cr), clock.FromMillis(up)
	return c, err
}

// InsertCard stores a card unless a unique key (owner and program,
// number, serial) is taken; the caller reads back which.
func (t *Tx) InsertCard(ctx context.Context, c card.Card) error {
	_, err := t.exec(ctx, `INSERT INTO cards (`+cardCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT DO NOTHING`,
		c.TenantID, c.ID, c.ProgramID, c.OwnerType, c.OwnerID, c.OrganizationID, c.Number, c.Serial, c.Status, c.Shown, c.ShownBefore,
		ms(c.ShownAt), ms(c.CreatedAt), ms(c.UpdatedAt))
	return err
}

// GetCard reads a card.
func (t *Tx) GetCard(ctx context.Context, tenantID, id string) (card.Card, error) {
	c, err := scanCard(t.queryRow(ctx, `SELECT `+cardCols+` FROM cards WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return c, notFound(err, "card", id)
}

// CardBySerial reads a card by its wallet serial.
func (t *Tx) CardBySerial(ctx context.Context, tenantID, serial string) (card.Card, error) {
	c, err := scanCard(t.queryRow(ctx, `SELECT `+cardCols+` FROM cards WHERE tenant_id = $1 AND serial = $2`, tenantID, serial))
	return c, notFound(err, "card", serial)
}

// CardByNumber reads a card by its number.
func (t *Tx) CardByNumber(ctx context.Context, tenantID, number string) (card.Card, error) {
	c, err := scanCard(t.queryRow(ctx, `SELECT `+cardCols+` FROM cards WHERE tenant_id = $1 AND number = $2`, tenantID, number))
	return c, notFound(err, "card", number)
}

// CardOf reads an owner's card in a program.
func (t *Tx) CardOf(ctx context.Context, tenantID, programID, ownerType, ownerID string) (card.Card, error) {
	c, err := scanCard(t.queryRow(ctx, `SELECT `+cardCols+` FROM cards WHERE tenant_id = $1 AND program_id = $2 AND owner_type = $3 AND owner_id = $4`,
		tenantID, programID, ownerType, ownerID))
	return c, notFound(err, "card of", ownerID)
}

// ListCardsOf reads an owner's cards, oldest first. (Ordered by id alone,
// SQLite walked the primary key through all the tenant's cards to avoid
// a sort of one or two rows: the owner's index is the way in.)
func (t *Tx) ListCardsOf(ctx context.Context, tenantID, ownerType, ownerID string) ([]card.Card, error) {
	return list(ctx, t, `SELECT `+cardCols+` FROM cards WHERE tenant_id = $1 AND owner_type = $2 AND owner_id = $3 ORDER BY created_ms, id`,
		scanCard, tenantID, ownerType, ownerID)
}

// CardsChangedSince reads the cards whose owner's wallets, whose
// organization's program state or coupons, or whose program's design
// changed after since: each
// branch starts from the rows changed (their updated_ms indexes), so the
// cost follows the changes, not the number of cards.
func (t *Tx) CardsChangedSince(ctx context.Context, tenantID string, since time.Time, r page.Request) ([]card.Card, error) {
	q := `SELECT ` + cardCols + ` FROM cards WHERE tenant_id = $1 AND id > $3 AND id IN (
		SELECT c.id FROM ledger_accounts a JOIN cards c ON c.tenant_id = a.tenant_id AND c.owner_type = a.owner_type AND c.owner_id = a.owner_id
			WHERE a.tenant_id = $1 AND a.updated_ms > $2
		UNION SELECT c.id FROM program_states s JOIN cards c ON c.tenant_id = s.tenant_id AND c.program_id = s.program_id
			AND s.owner_type = 'organization' AND c.organization_id = s.owner_id
			WHERE s.tenant_id = $1 AND s.updated_ms > $2
		UNION SELECT c.id FROM coupons k JOIN cards c ON c.tenant_id = k.tenant_id AND c.program_id = k.program_id AND c.organization_id = k.organization_id
			WHERE k.tenant_id = $1 AND k.updated_ms > $2
		UNION SELECT c.id FROM card_designs d JOIN cards c ON c.tenant_id = d.tenant_id AND c.program_id = d.program_id
			WHERE d.tenant_id = $1 AND d.updated_ms > $2
		UNION SELECT c.id FROM cards c WHERE c.tenant_id = $1 AND c.updated_ms > $2)
		ORDER BY id LIMIT $4`
	return list(ctx, t, q, scanCard, tenantID, ms(since), r.After, r.Limit+1)
}

// SetCardShown replaces a card's shown state when it is still old.
func (t *Tx) SetCardShown(ctx context.Context, tenantID, cardID, old, shown string, at time.Time) (bool, error) {
	return affected(t.exec(ctx, `UPDATE cards SET shown_before = shown, shown = $4, shown_ms = $5
		WHERE tenant_id = $1 AND id = $2 AND shown = $3`, tenantID, cardID, old, shown, ms(at)))
}

// InsertPassToken stores the hash of a pass's authentication token.
func (t *Tx) InsertPassToken(ctx context.Context, tenantID, cardID, hash string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO card_pass_tokens (tenant_id, token_hash, card_id, created_ms) VALUES ($1, $2, $3, $4)`,
		tenantID, hash, cardID, ms(at))
	return err
}

// PassTokenExists reports whether a token hash belongs to a card's passes.
func (t *Tx) PassTokenExists(ctx context.Context, tenantID, cardID, hash string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM card_pass_tokens WHERE tenant_id = $1 AND token_hash = $2 AND card_id = $3`, tenantID, hash, cardID)
}
