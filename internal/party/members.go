package party

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// CreateMember adds a person to an organization.
func (s *Service) CreateMember(ctx context.Context, p access.Principal, in MemberInput) (Member, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	m := Member{ID: ids.New(), TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	in.apply(&f, &m, now)
	if err := f.Err(); err != nil {
		return Member{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Member, error) {
		if err := s.resolveOrg(ctx, tx, &f, &m, in); err != nil {
			return m, err
		}
		if err := f.Err(); err != nil {
			return m, err
		}
		return m, s.insertMember(ctx, tx, p, m)
	})
}

func (s *Service) insertMember(ctx context.Context, tx Tx, p access.Principal, m Member) error {
	if err := tx.InsertMember(ctx, m); err != nil {
		return err
	}
	a := Affiliation{ID: ids.New(), TenantID: m.TenantID, MemberID: m.ID, OrganizationID: m.OrganizationID, Roles: m.Roles, From: m.CreatedAt}
	if err := tx.InsertAffiliation(ctx, a); err != nil {
		return err
	}
	if err := s.announceMember(ctx, tx, p, m); err != nil {
		return err
	}
	return audit.Record(ctx, tx, p, m.CreatedAt, "member.created", "member", m.ID, nil, m)
}

// resolveOrg sets the member's organization from the input's id or
// external id, checking that it exists in the tenant.
func (s *Service) resolveOrg(ctx context.Context, tx Tx, f *errs.Fields, m *Member, in MemberInput) error {
	var o Organization
	var err error
	field := "organization_id"
	if in.OrganizationExternalID != "" {
		field = "organization_external_id"
		o, err = tx.OrganizationByExternalID(ctx, m.TenantID, in.OrganizationExternalID)
	} else if in.OrganizationID != "" {
		o, err = OrgByRef(ctx, tx, m.TenantID, in.OrganizationID)
	} else {
		return nil // already reported as missing
	}
	if errs.Is(err, errs.NotFound) {
		f.Add(field, "unknown_organization", "no organization %q in this tenant", in.OrganizationID+in.OrganizationExternalID)
		return nil
	}
	if err != nil {
		return err
	}
	m.OrganizationID = o.ID
	return nil
}

// GetMember returns one member.
func (s *Service) GetMember(ctx context.Context, p access.Principal, id string) (Member, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Member{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Member, error) {
		m, err := MemberByRef(ctx, tx, p.TenantID, id)
		if err != nil {
			return m, err
		}
		return m, p.RequireReach(ctx, tx, "member", m.ID)
	})
}

// ListMembers returns a page of members in creation order.
func (s *Service) ListMembers(ctx context.Context, p access.Principal, flt MemberFilter, r page.Request) (page.Page[Member], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Member]{}, err
	}
	var f errs.Fields
	valid.OneOf(&f, "role", flt.Role, false, Roles)
	valid.OneOf(&f, "status", flt.Status, false, MemberStatuses)
	flt.Query = valid.Text(&f, "q", flt.Query, false, 100)
	if err := f.Err(); err != nil {
		return page.Page[Member]{}, err
	}
	flt.ManagedBy = p.ReachFilter()
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Member, error) { return tx.ListMembers(ctx, p.TenantID, flt, r) })
	return page.Build(r, rows, func(m Member) string { return m.ID }), err
}

// UpdateMember changes the fields present in the patch. A change of roles
// starts a new affiliation period, so the history shows who held which role
// when.
func (s *Service) UpdateMember(ctx context.Context, p access.Principal, id string, in MemberPatch) (Member, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Member{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Member, error) {
		before, err := memberForChange(ctx, tx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		if err := p.RequireReach(ctx, tx, "member", before.ID); err != nil {
			return before, err
		}
		after := before
		var f errs.Fields
		in.apply(&f, &after, s.Clock.Now())
		if err := f.Err(); err != nil {
			return after, err
		}
		return s.saveMember(ctx, tx, p, before, after, "member.updated")
	})
}

// saveMember writes a changed member, and opens a new affiliation period
// when its organization or roles changed.
func (s *Service) saveMember(ctx context.Context, tx Tx, p access.Principal, before, after Member, action string) (Member, error) {
	if reflect.DeepEqual(before, after) {
		return before, nil
	}
	now := s.Clock.Now()
	after.UpdatedAt = now
	if err := tx.UpdateMember(ctx, after); err != nil {
		return after, err
	}
	if before.OrganizationID != after.OrganizationID || !slices.Equal(before.Roles, after.Roles) {
		if err := s.newAffiliation(ctx, tx, after, now); err != nil {
			return after, err
		}
	}
	return after, audit.Record(ctx, tx, p, now, action, "member", after.ID, before, after)
}

func (s *Service) newAffiliation(ctx context.Context, tx Tx, m Member, at time.Time) error {
	if err := tx.CloseAffiliation(ctx, m.TenantID, m.ID, at); err != nil {
		return err
	}
	return tx.InsertAffiliation(ctx, Affiliation{ID: ids.New(), TenantID: m.TenantID, MemberID: m.ID,
		OrganizationID: m.OrganizationID, Roles: m.Roles, From: at})
}

// MoveInput moves a member to another organization.
type MoveInput struct {
	OrganizationID string
	Roles          []Role // the roles at the new organization; empty keeps the current ones
}

// MoveMember moves a member to another organization, closing the current
// affiliation and opening a new one; the member keeps its id, wallet and
// history.
func (s *Service) MoveMember(ctx context.Context, p access.Principal, id string, in MoveInput) (Member, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Member{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Member, error) {
		before, err := memberForChange(ctx, tx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		after := before
		var f errs.Fields
		if in.Roles != nil {
			after.Roles = roles(&f, in.Roles)
		}
		if err := s.resolveOrg(ctx, tx, &f, &after, MemberInput{OrganizationID: in.OrganizationID}); err != nil {
			return after, err
		}
		if in.OrganizationID == "" {
			f.Add("organization_id", "required", "organization_id is required: the organization to move the member to")
		} else if after.OrganizationID == before.OrganizationID && f.Len() == 0 {
			f.Add("organization_id", "same_organization", "the member already works at organization %q; change roles with PATCH instead", in.OrganizationID)
		}
		if err := f.Err(); err != nil {
			return after, err
		}
		return s.saveMember(ctx, tx, p, before, after, "member.moved")
	})
}

// Affiliations returns a member's history of organizations and roles,
// oldest first.
func (s *Service) Affiliations(ctx context.Context, p access.Principal, id string) ([]Affiliation, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Affiliation, error) {
		m, err := MemberByRef(ctx, tx, p.TenantID, id)
		if err != nil {
			return nil, err
		}
		return tx.ListAffiliations(ctx, p.TenantID, m.ID)
	})
}

// DeleteMember removes a member who has no consent records; one who has
// must be set to status "left" instead, so the records keep their signer.
func (s *Service) DeleteMember(ctx context.Context, p access.Principal, id string) error {
	if err := p.Can(access.EditParties); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		m, err := MemberByRef(ctx, tx, p.TenantID, id)
		if err != nil {
			return err
		}
		id = m.ID
		n, err := tx.MemberConsentCount(ctx, p.TenantID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "member_in_use", "member %q signed %d consent records; set status to %q instead of deleting", id, n, MemberLeft)
		}
		if err := tx.DeleteMember(ctx, p.TenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, s.Clock.Now(), "member.deleted", "member", id, m, nil)
	})
}

// UpsertMembers creates or replaces members by external id, all in one
// transaction. A changed organization is recorded as a move.
func (s *Service) UpsertMembers(ctx context.Context, p access.Principal, items []MemberInput) ([]UpsertResult[Member], error) {
	if err := p.Can(access.EditParties); err != nil {
		return nil, err
	}
	if err := bulkSize(len(items)); err != nil {
		return nil, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) ([]UpsertResult[Member], error) {
		var all errs.Fields
		out := make([]UpsertResult[Member], len(items))
		seen := make(map[string]int, len(items))
		for i, in := range items {
			f := all.Under(fmt.Sprintf("items[%d].", i))
			res, err := s.upsertMember(ctx, tx, p, f, in, seen, i)
			if err != nil {
				return nil, errs.Prefix(err, fmt.Sprintf("items[%d].", i))
			}
			all.Merge(f)
			out[i] = res
		}
		return out, all.Err()
	})
}

func (s *Service) upsertMember(ctx context.Context, tx Tx, p access.Principal, f *errs.Fields, in MemberInput, seen map[string]int, i int) (UpsertResult[Member], error) {
	now := s.Clock.Now()
	m := Member{ID: ids.New(), TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
	in.apply(f, &m, now)
	if m.ExternalID == "" {
		f.Add("external_id", "required", "external_id is required in a bulk upsert: it is how items are matched")
	} else if j, dup := seen[m.ExternalID]; dup {
		f.Add("external_id", "duplicate", "external id %q is also item %d; each may appear once per batch", m.ExternalID, j)
	}
	if err := s.resolveOrg(ctx, tx, f, &m, in); err != nil || f.Len() > 0 {
		return UpsertResult[Member]{}, err
	}
	seen[m.ExternalID] = i
	before, err := tx.MemberByExternalID(ctx, p.TenantID, m.ExternalID)
	if errs.Is(err, errs.NotFound) {
		err := s.insertMember(ctx, tx, p, m)
		return UpsertResult[Member]{Item: m, Created: true, Changed: true}, err
	}
	if err != nil {
		return UpsertResult[Member]{}, err
	}
	if before, err = memberForChange(ctx, tx, p.TenantID, before.ID); err != nil {
		return UpsertResult[Member]{}, err
	}
	m.ID, m.CreatedAt, m.UpdatedAt = before.ID, before.CreatedAt, before.UpdatedAt
	action := "member.updated"
	if m.OrganizationID != before.OrganizationID {
		action = "member.moved"
	}
	after, err := s.saveMember(ctx, tx, p, before, m, action)
	return UpsertResult[Member]{Item: after, Changed: !reflect.DeepEqual(before, after)}, err
}
