package party

import (
	"context"
	"slices"
	"time"
)

// TermsVersion is when a version of a program's employee terms was
// published.
type TermsVersion struct {
	Version     int
	PublishedAt time.Time
}

// ConsentHistory is every decision of one organization about one program's
// employee terms and when each terms version was published: enough to say
// whether its employees could earn at any time.
type ConsentHistory struct {
	Terms     []TermsVersion // oldest first
	Decisions []Consent      // oldest first
}

// GrantedAt reports whether employees could earn personal rewards at t —
// the date of a sale, not when it is reported. The decision in force at t
// is the last one decided at or before t; it grants when it accepted the
// terms version in force at t (the last published at or before t, or an
// earlier acceptance of terms published since does not). So a back-dated
// invoice from before consent earns the employee nothing, and a sale made
// while consent was in force still earns when it is sent after a
// revocation.
func (h ConsentHistory) GrantedAt(t time.Time) bool {
	var in *Consent
	for i := range h.Decisions {
		if h.Decisions[i].DecidedAt.After(t) {
			break
		}
		in = &h.Decisions[i]
	}
	if in == nil || in.Decision != Accepted {
		return false
	}
	terms := 0
	for _, v := range h.Terms {
		if !v.PublishedAt.After(t) {
			terms = v.Version
		}
	}
	return in.TermsVersion >= terms
}

// ConsentHistoryOf reads an organization's consent history for a program.
func ConsentHistoryOf(ctx context.Context, tx ConsentReader, tenantID, orgID, programID string) (ConsentHistory, error) {
	var h ConsentHistory
	var err error
	if h.Terms, err = tx.TermsPublished(ctx, tenantID, programID); err != nil {
		return h, err
	}
	if h.Decisions, err = tx.ListConsents(ctx, tenantID, orgID, programID); err != nil {
		return h, err
	}
	slices.Reverse(h.Decisions) // listed newest first
	return h, nil
}
