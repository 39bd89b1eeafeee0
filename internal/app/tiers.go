package app

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// programTiers tells the rewards catalog an organization's tier: the level
// code in its program state, as the participant standing shows it.
type programTiers struct{ events *events.Service }

// TierOf returns the organization's tier code in a program, "" when it has
// none or the program has no rules yet.
func (t programTiers) TierOf(ctx context.Context, tenantID, programID, orgID string) (string, error) {
	st, err := t.events.Status(ctx, access.System(tenantID), programID, orgID)
	switch {
	case errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound):
		return "", nil
	case err != nil:
		return "", err
	case st.Tier == nil:
		return "", nil
	}
	return st.Tier.Level.Code, nil
}
