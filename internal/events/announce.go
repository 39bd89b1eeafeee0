package events

import (
	"context"
	"slices"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

// TierData is what tier.changed announces for a change the periodic
// review made (requalification up, or down one level). Changes made by
// an event are announced by messaging's event hook.
type TierData struct {
	OrganizationID string `json:"organization_id"`
	ProgramID      string `json:"program_id"`
	TierFrom       string `json:"tier_from"`
	TierTo         string `json:"tier_to"`
	Direction      string `json:"direction"` // up or down
	Reason         string `json:"reason"`
}

// TierDirection says whether a move goes up or down the program's levels.
func TierDirection(v *engine.Program, m *engine.TierMove) string {
	if v == nil || v.Def.Tiers == nil {
		return "up"
	}
	at := func(code string) int {
		return slices.IndexFunc(v.Def.Tiers.Levels, func(l engine.Level) bool { return l.Code == code })
	}
	if at(m.To) < at(m.From) {
		return "down"
	}
	return "up"
}

// announceTier publishes a review's tier change in the review's transaction.
func (u *unit) announceTier(ctx context.Context, v *engine.Program, orgID string, m *engine.TierMove) error {
	if m == nil || m.From == m.To {
		return nil
	}
	return outbound.Publish(ctx, u.s.Publish, u.tx, u.p.TenantID, outbound.TierChanged, TierData{OrganizationID: orgID,
		ProgramID: v.ID, TierFrom: m.From, TierTo: m.To, Direction: TierDirection(v, m), Reason: m.Reason})
}
