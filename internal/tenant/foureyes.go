package tenant

import (
	"context"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// FourEyesCooling is how long before a request a staff user must have
// been created, or had its role changed, by the requester to approve the
// requester's request: a colleague made (or promoted) for the occasion
// does not count as a second person.
const FourEyesCooling = 7 * 24 * time.Hour

// maxChain bounds the walk from a key to the key that made it, and so on:
// a longer chain is refused rather than followed.
const maxChain = 16

// CheckApprover implements access.Approvers: the approver of something
// requester (access.Principal.Name) asked for at requestedAt must be a
// different, pre-existing person whom the requester neither created nor
// empowered for it. Refused: the requester; an API key the requester made
// (directly or through keys it made: the maker holds the secret); a staff
// user created after the request; a staff user the requester created, or
// whose role the requester changed or who was enabled again by the
// requester, after the request or less than FourEyesCooling before it.
func (s *Service) CheckApprover(ctx context.Context, approver access.Principal, requester string, requestedAt time.Time) error {
	if approver.Name() == requester {
		return fourEyes("the person who asked cannot approve it; ask a colleague")
	}
	return s.Store.Read(ctx, func(tx Tx) error {
		if approver.ActorType == access.ActorAPIKey {
			k, err := tx.GetAPIKey(ctx, approver.TenantID, approver.ActorID)
			if err != nil {
				return err
			}
			if mine, err := controlled(ctx, tx, approver.TenantID, k.CreatedBy, requester); err != nil || mine {
				return orFourEyes(err, "this API key was made by the person who asked (who holds its secret); approve with a key of your own")
			}
		}
		if approver.StaffID == "" {
			return nil
		}
		st, err := tx.GetStaff(ctx, approver.TenantID, approver.StaffID)
		if err != nil {
			return err
		}
		return checkStaff(ctx, tx, st, requester, requestedAt)
	})
}

// checkStaff applies the rules on the approving staff user.
func checkStaff(ctx context.Context, tx Tx, st Staff, requester string, requestedAt time.Time) error {
	if !st.CreatedAt.Before(requestedAt) {
		return fourEyes("staff user %s was created after the request; a colleague who was there before it approves", st.ID)
	}
	recent := requestedAt.Add(-FourEyesCooling)
	if st.CreatedAt.After(recent) {
		if mine, err := controlled(ctx, tx, st.TenantID, st.CreatedBy, requester); err != nil || mine {
			return orFourEyes(err, "staff user %s was created by the person who asked, shortly before the request; another colleague approves", st.ID)
		}
	}
	if st.EmpoweredAt != nil && st.EmpoweredAt.After(recent) {
		if mine, err := controlled(ctx, tx, st.TenantID, st.EmpoweredBy, requester); err != nil || mine {
			return orFourEyes(err, "staff user %s had its role changed by the person who asked, at or shortly before the request; another colleague approves", st.ID)
		}
	}
	return nil
}

// controlled reports whether actor (as Actor names it) is the requester
// or acts with the requester's power: a key the requester made, or made
// by such a key, or a key of the requester's staff user.
func controlled(ctx context.Context, tx Tx, tenantID, actor, requester string) (bool, error) {
	for range maxChain {
		kind, id, _ := strings.Cut(actor, ":")
		switch {
		case actor == "" || kind == string(access.ActorSystem):
			return false, nil
		case actor == requester || kind == string(access.ActorStaff) && id == requester:
			return true, nil
		case kind != string(access.ActorAPIKey):
			return false, nil
		}
		k, err := tx.GetAPIKey(ctx, tenantID, id)
		if errs.Is(err, errs.NotFound) {
			return false, nil
		} else if err != nil {
			return false, err
		}
		if k.StaffID != "" && k.StaffID == requester {
			return true, nil
		}
		actor = k.CreatedBy // whoever made this key holds it too
	}
	return true, nil // a chain this long is refused, not followed
}

func fourEyes(format string, args ...any) error {
	return errs.E(errs.Forbidden, "four_eyes", format, args...)
}

func orFourEyes(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return fourEyes(format, args...)
}

var _ access.Approvers = (*Service)(nil)
