package party

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// CreateOrganizationIn adds an organization inside the caller's
// transaction: an online registration creates the organization, its
// member and the registration record at once, or none of them.
func (s *Service) CreateOrganizationIn(ctx context.Context, tx Tx, p access.Principal, in OrgInput) (Organization, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Organization{}, err
	}
	now := s.Clock.Now()
	o := Organization{ID: ids.New(), TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	in.apply(&f, &o)
	if err := f.Err(); err != nil {
		return o, err
	}
	if err := s.checkOrgRefs(ctx, tx, &f, &o, in.ParentExternalID, false); err != nil {
		return o, err
	}
	if err := f.Err(); err != nil {
		return o, err
	}
	if err := tx.InsertOrganization(ctx, o); err != nil {
		return o, err
	}
	return o, audit.Record(ctx, tx, p, now, "organization.created", "organization", o.ID, nil, o)
}

// CreateMemberIn adds a member inside the caller's transaction, with the
// id given (a registration reserves it first).
func (s *Service) CreateMemberIn(ctx context.Context, tx Tx, p access.Principal, id string, in MemberInput) (Member, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	m := Member{ID: id, TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	in.apply(&f, &m, now)
	if err := s.resolveOrg(ctx, tx, &f, &m, in); err != nil {
		return m, err
	}
	if err := f.Err(); err != nil {
		return m, err
	}
	return m, s.insertMember(ctx, tx, p, m)
}
