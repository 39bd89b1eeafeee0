package promo

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// Offer is what a code gives an order: a discount, or bonus points.
type Offer struct {
	Discount *pricing.Discount // nil for bonus points
	Value    int64             // the discount priced alone, or the points
	Bonus    bool              // the value is points credited with the order
}

// Evaluate checks a code against an order without storage — its
// campaign's status, program and window, a personal code's owner and end —
// and says what it gives, or why it gives nothing. Usage limits and the
// budget need the stored counters and are not checked: the simulator uses
// it to replay orders whose codes live accepted. code carries a personal
// code's owner and end (Organization, ExpiresAt).
func Evaluate(c Campaign, code Code, orgID string, programIDs []string, lines []engine.Line, at time.Time) (Offer, string) {
	u := use{code: code, camp: c}
	if why := when(&c, request{programIDs: programIDs, orgID: orgID, at: at}); why != "" {
		return Offer{}, why
	}
	if c.Kind == Personal {
		switch {
		case code.Organization != orgID:
			return Offer{}, unknownCode
		case code.ExpiresAt != nil && !at.Before(*code.ExpiresAt):
			return Offer{}, "expired on " + code.ExpiresAt.UTC().Format(dateTime)
		}
	}
	if why := u.effect(lines); why != "" {
		return Offer{}, why
	}
	return Offer{Discount: u.discount, Value: u.value, Bonus: c.Effect.Type == EffectBonus}, ""
}
