package party

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
)

// RequireReach refuses an account manager an organization (by id or
// ext:<id>) that someone else manages; for any other role it reads
// nothing and passes. Services whose storage does not answer
// access.Reach check through this.
func RequireReach(ctx context.Context, tx OrgReader, p access.Principal, orgRef string) error {
	if !p.OwnOrgsOnly() {
		return nil
	}
	o, err := OrgByRef(ctx, tx, p.TenantID, orgRef)
	if err != nil {
		return err
	}
	return p.Reaches(o.AccountManagerID)
}
