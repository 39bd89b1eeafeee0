package reward

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

// StatusData is what redemption.status announces on every change of a
// redemption's status, including its first.
type StatusData struct {
	RedemptionID   string `json:"redemption_id"`
	ItemID         string `json:"item_id"`
	Reward         string `json:"reward"` // the item's name
	OrganizationID string `json:"organization_id"`
	MemberID       string `json:"member_id,omitempty"`
	From           string `json:"from,omitempty"`
	Status         string `json:"status"`
	Points         int64  `json:"points"`
	Note           string `json:"note,omitempty"`
}

// announce publishes a redemption's new status in tx.
func (s *Service) announce(ctx context.Context, tx Tx, tenantID string, r Redemption, from, note string) error {
	if s.Publish == nil {
		return nil
	}
	d := StatusData{RedemptionID: r.ID, ItemID: r.ItemID, OrganizationID: r.OrganizationID, MemberID: r.MemberID,
		From: from, Status: r.Status, Points: r.Points, Note: note}
	if it, err := tx.GetRewardItem(ctx, tenantID, r.ItemID); err == nil {
		d.Reward = it.Name
	}
	return s.Publish.Publish(ctx, tx, tenantID, outbound.RedemptionStatus, d)
}
