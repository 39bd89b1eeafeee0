package claim

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

// StatusData is what claim.status announces when a claim is submitted,
// approved or rejected.
type StatusData struct {
	ClaimID        string `json:"claim_id"`
	ProgramID      string `json:"program_id"`
	OrganizationID string `json:"organization_id"`
	MemberID       string `json:"member_id"`
	InvoiceNumber  string `json:"invoice_number"`
	Status         string `json:"status"`
	Points         int64  `json:"points"`
	Reason         string `json:"reason,omitempty"`
	EventID        string `json:"event_id,omitempty"`
}

// announce publishes a claim's status in tx.
func (s *Service) announce(ctx context.Context, tx Tx, tenantID string, c Claim) error {
	return outbound.Publish(ctx, s.Publish, tx, tenantID, outbound.ClaimStatus, StatusData{ClaimID: c.ID, ProgramID: c.ProgramID,
		OrganizationID: c.OrganizationID, MemberID: c.MemberID, InvoiceNumber: c.InvoiceNumber, Status: c.Status, Points: c.Points,
		Reason: c.Reason, EventID: c.EventID})
}
