package party

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// maxDepth bounds a holding hierarchy; deeper trees are almost surely a
// data error, and the bound keeps the cycle check cheap.
const maxDepth = 10

// MaxBulk is the most items one bulk upsert may carry.
const MaxBulk = 1000

// CreateOrganization adds an organization.
func (s *Service) CreateOrganization(ctx context.Context, p access.Principal, in OrgInput) (Organization, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Organization{}, err
	}
	now := s.Clock.Now()
	o := Organization{ID: ids.New(), TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	in.apply(&f, &o)
	if err := f.Err(); err != nil {
		return Organization{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Organization, error) {
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
	})
}

// GetOrganization returns one organization.
func (s *Service) GetOrganization(ctx context.Context, p access.Principal, id string) (Organization, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Organization{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Organization, error) {
		o, err := OrgByRef(ctx, tx, p.TenantID, id)
		if err != nil {
			return o, err
		}
		return o, p.Reaches(o.AccountManagerID)
	})
}

// ListOrganizations returns a page of organizations in creation order.
func (s *Service) ListOrganizations(ctx context.Context, p access.Principal, flt OrgFilter, r page.Request) (page.Page[Organization], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Organization]{}, err
	}
	var f errs.Fields
	valid.OneOf(&f, "type", flt.Type, false, OrgTypes)
	valid.OneOf(&f, "status", flt.Status, false, OrgStatuses)
	if flt.Tag != "" && !ValidTag(flt.Tag) {
		f.Add("tag", "invalid_tag", "tag must be a tag as stored: lower-case letters, digits and : . -")
	}
	flt.Query = valid.Text(&f, "q", flt.Query, false, 100)
	flt.Search = valid.Text(&f, "search", flt.Search, false, 100)
	flt.Tier = valid.Text(&f, "tier", flt.Tier, false, 40)
	if len(flt.IDs) > MaxIDs {
		f.Add("ids", "too_many", "at most %d organizations can be listed by id", MaxIDs)
	}
	if err := f.Err(); err != nil {
		return page.Page[Organization]{}, err
	}
	if m := p.ReachFilter(); m != "" {
		flt.AccountManagerID = m // an account manager lists their own accounts only
	}
	if flt.Search != "" {
		r.After = "" // a search answers one page in name order
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Organization, error) { return tx.ListOrganizations(ctx, p.TenantID, flt, r) })
	pg := page.Build(r, rows, func(o Organization) string { return o.ID })
	if flt.Search != "" {
		pg.Next = ""
	}
	return pg, err
}

// UpdateOrganization changes the fields present in the patch.
func (s *Service) UpdateOrganization(ctx context.Context, p access.Principal, id string, in OrgPatch) (Organization, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Organization{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Organization, error) {
		before, err := orgForChange(ctx, tx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		if err := p.Reaches(before.AccountManagerID); err != nil {
			return before, err
		}
		// orgForChange read it under its lock, so of two editors who read
		// the same version only the first writes.
		if in.UnchangedSince != nil && !before.UpdatedAt.Equal(*in.UnchangedSince) {
			return before, errs.E(errs.Conflict, "changed_meanwhile", "%s was changed by someone else after you opened it (at %s); reload to see the change, then edit again",
				before.Name, before.UpdatedAt.Format(time.RFC3339))
		}
		after := before
		var f errs.Fields
		in.apply(&f, &after)
		if err := f.Err(); err != nil {
			return after, err
		}
		return s.saveOrganization(ctx, tx, p, before, after, "")
	})
}

// saveOrganization checks references and writes an existing organization
// if anything changed, recording the change.
func (s *Service) saveOrganization(ctx context.Context, tx Tx, p access.Principal, before, after Organization, parentExternalID string) (Organization, error) {
	var f errs.Fields
	if err := s.checkOrgRefs(ctx, tx, &f, &after, parentExternalID, after.ParentID != before.ParentID || parentExternalID != ""); err != nil {
		return after, err
	}
	if err := f.Err(); err != nil {
		return after, err
	}
	if reflect.DeepEqual(before, after) {
		return before, nil
	}
	after.UpdatedAt = s.Clock.Now()
	if err := tx.UpdateOrganization(ctx, after); err != nil {
		return after, err
	}
	return after, audit.Record(ctx, tx, p, after.UpdatedAt, "organization.updated", "organization", after.ID, before, after)
}

// DeleteOrganization removes an organization nothing refers to. One with
// members, branches or consent records must be closed instead, so that its
// history stays whole.
func (s *Service) DeleteOrganization(ctx context.Context, p access.Principal, id string) error {
	if err := p.Can(access.EditParties); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		o, err := OrgByRef(ctx, tx, p.TenantID, id)
		if err != nil {
			return err
		}
		if err := p.Reaches(o.AccountManagerID); err != nil {
			return err
		}
		id = o.ID
		refs, err := tx.OrganizationRefs(ctx, p.TenantID, id)
		if err != nil {
			return err
		}
		if refs != (OrgRefs{}) {
			return errs.E(errs.Conflict, "organization_in_use",
				"organization %q has %d members, %d branches and %d consent records; set its status to %q instead of deleting it",
				id, refs.Members, refs.Branches, refs.Consents, OrgClosed)
		}
		if err := tx.DeleteOrganization(ctx, p.TenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, s.Clock.Now(), "organization.deleted", "organization", id, o, nil)
	})
}

// checkOrgRefs resolves and checks the parent and the account manager of o.
// Problems the caller can fix land in f; the error is for storage failures.
// moved says an existing organization may get a new parent: its
// ancestors are then locked as they are read (see checkParent).
func (s *Service) checkOrgRefs(ctx context.Context, tx Tx, f *errs.Fields, o *Organization, parentExternalID string, moved bool) error {
	if parentExternalID != "" {
		parent, err := tx.OrganizationByExternalID(ctx, o.TenantID, parentExternalID)
		switch {
		case errs.Is(err, errs.NotFound):
			f.Add("parent_external_id", "unknown_organization", "no organization has external id %q", parentExternalID)
		case err != nil:
			return err
		default:
			o.ParentID = parent.ID
		}
	}
	if err := s.checkParent(ctx, tx, f, o, moved); err != nil {
		return err
	}
	if o.AccountManagerID != "" {
		ok, err := tx.StaffExists(ctx, o.TenantID, o.AccountManagerID)
		if err != nil {
			return err
		}
		if !ok {
			f.Add("account_manager_id", "unknown_staff", "no staff user %q in this tenant", o.AccountManagerID)
		}
	}
	return nil
}

// checkParent refuses a parent that does not exist or would make the
// holding hierarchy a cycle (the organization would be its own ancestor).
// With lock, each ancestor is locked before it is read, as every move
// locks the organization it moves: of two moves that would close a cycle
// together (A under B, B under A), the second then reads the first's.
func (s *Service) checkParent(ctx context.Context, tx Tx, f *errs.Fields, o *Organization, lock bool) error {
	id := o.ParentID
	for depth := 0; id != ""; depth++ {
		if id == o.ID {
			f.Add("parent_id", "cycle", "organization %q cannot be a branch of itself or of one of its own branches", o.ID)
			return nil
		}
		if depth >= maxDepth {
			f.Add("parent_id", "too_deep", "a holding hierarchy may have at most %d levels", maxDepth)
			return nil
		}
		if lock {
			if err := tx.LockOrganization(ctx, o.TenantID, id); err != nil {
				return err
			}
		}
		anc, err := tx.GetOrganization(ctx, o.TenantID, id)
		if errs.Is(err, errs.NotFound) {
			f.Add("parent_id", "unknown_organization", "no organization %q in this tenant", id)
			return nil
		}
		if err != nil {
			return err
		}
		id = anc.ParentID
	}
	return nil
}

// UpsertResult tells what a bulk upsert did with one item.
type UpsertResult[T any] struct {
	Item    T
	Created bool
	Changed bool
}

// UpsertOrganizations creates or replaces organizations by external id, all
// in one transaction: if any item is wrong, nothing is written and the error
// names every wrong item. A parent may be given by external id and may be an
// earlier item of the same batch.
func (s *Service) UpsertOrganizations(ctx context.Context, p access.Principal, items []OrgInput) ([]UpsertResult[Organization], error) {
	if err := p.Can(access.EditParties); err != nil {
		return nil, err
	}
	if err := bulkSize(len(items)); err != nil {
		return nil, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) ([]UpsertResult[Organization], error) {
		var all errs.Fields
		out := make([]UpsertResult[Organization], len(items))
		seen := make(map[string]int, len(items))
		for i, in := range items {
			f := all.Under(fmt.Sprintf("items[%d].", i))
			res, err := s.upsertOrganization(ctx, tx, p, f, in, seen, i)
			if err != nil {
				return nil, errs.Prefix(err, fmt.Sprintf("items[%d].", i))
			}
			all.Merge(f)
			out[i] = res
		}
		return out, all.Err()
	})
}

func (s *Service) upsertOrganization(ctx context.Context, tx Tx, p access.Principal, f *errs.Fields, in OrgInput, seen map[string]int, i int) (UpsertResult[Organization], error) {
	now := s.Clock.Now()
	o := Organization{ID: ids.New(), TenantID: p.TenantID, CreatedAt: now, UpdatedAt: now}
	in.apply(f, &o)
	if o.ExternalID == "" {
		f.Add("external_id", "required", "external_id is required in a bulk upsert: it is how items are matched")
	} else if j, dup := seen[o.ExternalID]; dup {
		f.Add("external_id", "duplicate", "external id %q is also item %d; each may appear once per batch", o.ExternalID, j)
	}
	if f.Len() > 0 {
		return UpsertResult[Organization]{}, nil
	}
	seen[o.ExternalID] = i
	before, err := tx.OrganizationByExternalID(ctx, p.TenantID, o.ExternalID)
	if errs.Is(err, errs.NotFound) {
		if err := s.checkOrgRefs(ctx, tx, f, &o, in.ParentExternalID, false); err != nil || f.Len() > 0 {
			return UpsertResult[Organization]{}, err
		}
		if err := tx.InsertOrganization(ctx, o); err != nil {
			return UpsertResult[Organization]{}, err
		}
		err := audit.Record(ctx, tx, p, now, "organization.created", "organization", o.ID, nil, o)
		return UpsertResult[Organization]{Item: o, Created: true, Changed: true}, err
	}
	if err != nil {
		return UpsertResult[Organization]{}, err
	}
	if before, err = orgForChange(ctx, tx, p.TenantID, before.ID); err != nil {
		return UpsertResult[Organization]{}, err
	}
	o.ID, o.CreatedAt, o.UpdatedAt = before.ID, before.CreatedAt, before.UpdatedAt
	after, err := s.saveOrganization(ctx, tx, p, before, o, in.ParentExternalID)
	if fe := errs.As(err); fe != nil && fe.Kind == errs.Invalid {
		for _, fld := range fe.Fields {
			f.Add(fld.Field, fld.Code, "%s", fld.Message)
		}
		return UpsertResult[Organization]{}, nil
	}
	return UpsertResult[Organization]{Item: after, Changed: !reflect.DeepEqual(before, after)}, err
}

func bulkSize(n int) error {
	if n < 1 || n > MaxBulk {
		return errs.InvalidField("items", "out_of_range", "send between 1 and %d items per request", MaxBulk)
	}
	return nil
}
