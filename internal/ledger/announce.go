package ledger

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

// spent is a wallet a transaction took points from for a purchase or a
// reward.
type spent struct {
	Owner       Owner
	PointTypeID string
	Points      int64
}

// SpentData is what points.spent announces: one per wallet spent from.
type SpentData struct {
	TransactionID  string    `json:"transaction_id"`
	OwnerType      OwnerType `json:"owner_type"`
	OwnerID        string    `json:"owner_id"`
	PointTypeID    string    `json:"point_type_id"`
	Points         int64     `json:"points"`
	EventID        string    `json:"event_id,omitempty"`
	Reference      string    `json:"reference,omitempty"`
	OrganizationID string    `json:"organization_id,omitempty"`
	MemberID       string    `json:"member_id,omitempty"`
}

// ExpiredData is what points.expired announces: one per expired lot.
type ExpiredData struct {
	TransactionID  string    `json:"transaction_id"`
	OwnerType      OwnerType `json:"owner_type"`
	OwnerID        string    `json:"owner_id"`
	PointTypeID    string    `json:"point_type_id"`
	Points         int64     `json:"points"`
	LotID          string    `json:"lot_id"`
	ExpiredAt      time.Time `json:"expired_at"`
	OrganizationID string    `json:"organization_id,omitempty"`
	MemberID       string    `json:"member_id,omitempty"`
}

// ownerIDs fills the organization_id or member_id a subscriber filters by.
func ownerIDs(o Owner) (orgID, memberID string) {
	if o.Type == OwnerMember {
		return "", o.ID
	}
	return o.ID, ""
}

// announce publishes the transaction's spends, in its transaction.
func (w *writer) announce(ctx context.Context) error {
	for _, sp := range w.spent {
		d := SpentData{TransactionID: w.t.ID, OwnerType: sp.Owner.Type, OwnerID: sp.Owner.ID, PointTypeID: sp.PointTypeID,
			Points: sp.Points, EventID: w.t.EventID, Reference: w.t.Reference}
		d.OrganizationID, d.MemberID = ownerIDs(sp.Owner)
		if err := outbound.Publish(ctx, w.s.Publish, w.tx, w.tenant, outbound.PointsSpent, d); err != nil {
			return err
		}
	}
	return nil
}

// announceExpiries publishes a job batch's expiries, in its transaction.
func (s *Service) announceExpiries(ctx context.Context, tx Tx, tenantID string, txs []Transaction, accts []Account) error {
	if s.Publish == nil {
		return nil
	}
	byID := make(map[string]Account, len(accts))
	for _, a := range accts {
		byID[a.ID] = a
	}
	for _, t := range txs {
		if t.Kind != KindExpire || len(t.Uses) == 0 || len(t.Postings) == 0 {
			continue
		}
		a := byID[t.Postings[0].AccountID]
		o := Owner{Type: a.OwnerType, ID: a.OwnerID}
		d := ExpiredData{TransactionID: t.ID, OwnerType: o.Type, OwnerID: o.ID, PointTypeID: a.PointTypeID,
			Points: t.Uses[0].Amount, LotID: t.Uses[0].LotID, ExpiredAt: t.Effective}
		d.OrganizationID, d.MemberID = ownerIDs(o)
		if err := s.Publish.Publish(ctx, tx, tenantID, outbound.PointsExpired, d); err != nil {
			return err
		}
	}
	return nil
}
