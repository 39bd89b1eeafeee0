package tenant

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// CreateTenant creates an operator. Only the platform operator does this,
// from the CLI, so it takes no principal.
func (s *Service) CreateTenant(ctx context.Context, slug, name string) (Tenant, error) {
	var f errs.Fields
	if !ValidSlug(slug) {
		f.Add("slug", "invalid_slug", "slug must be 3–32 lower-case letters, digits and inner hyphens, e.g. acme-building")
	}
	name = valid.Text(&f, "name", name, true, 200)
	if err := f.Err(); err != nil {
		return Tenant{}, err
	}
	now := s.Clock.Now()
	t := Tenant{ID: ids.New(), Slug: slug, Name: name, Status: "active", Settings: DefaultSettings, CreatedAt: now, UpdatedAt: now}
	err := s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertTenant(ctx, t); err != nil {
			return err
		}
		return audit.Record(ctx, tx, access.System(t.ID), now, "tenant.created", "tenant", t.ID, nil, t)
	})
	return t, err
}

// MaxRateLimit bounds a tenant's own request rate.
const MaxRateLimit = 1_000_000

// SetRateLimit sets a tenant's own request rate (requests a second per
// server; 0: the server's default). Only the platform operator does this,
// from the CLI, so it takes no principal.
func (s *Service) SetRateLimit(ctx context.Context, slug string, rate int64) (Tenant, error) {
	if rate < 0 || rate > MaxRateLimit {
		return Tenant{}, errs.InvalidField("rate", "out_of_range", "the rate is 0 (the server's default) to %d requests a second", MaxRateLimit)
	}
	var after Tenant
	err := s.Store.Write(ctx, func(tx Tx) error {
		before, err := tx.TenantBySlug(ctx, slug)
		if err != nil {
			return err
		}
		after = before
		after.RateLimit, after.UpdatedAt = rate, s.Clock.Now()
		if err := tx.SetTenantRateLimit(ctx, before.ID, rate, after.UpdatedAt); err != nil {
			return err
		}
		return audit.Record(ctx, tx, access.System(before.ID), after.UpdatedAt, "tenant.rate_limit_changed", "tenant", before.ID, before, after)
	})
	s.keys.invalidate()
	return after, err
}

// TenantBySlug finds a tenant by its slug.
func (s *Service) TenantBySlug(ctx context.Context, slug string) (Tenant, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) (Tenant, error) { return tx.TenantBySlug(ctx, slug) })
}

// Current returns the caller's tenant.
func (s *Service) Current(ctx context.Context, p access.Principal) (Tenant, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) (Tenant, error) { return tx.TenantByID(ctx, p.TenantID) })
}

// StaffInput describes a staff user to create.
type StaffInput struct {
	Email string
	Name  string
	Role  Role
}

func (in *StaffInput) validate() error {
	var f errs.Fields
	in.Email = valid.Email(&f, "email", in.Email, true)
	in.Name = valid.Text(&f, "name", in.Name, true, 200)
	valid.OneOf(&f, "role", in.Role, true, Roles)
	return f.Err()
}

// CreateStaff adds a staff user; it needs admin scope.
func (s *Service) CreateStaff(ctx context.Context, p access.Principal, in StaffInput) (Staff, error) {
	if err := p.Can(access.Administer); err != nil {
		return Staff{}, err
	}
	if err := in.validate(); err != nil {
		return Staff{}, err
	}
	now := s.Clock.Now()
	st := Staff{ID: ids.New(), TenantID: p.TenantID, Email: in.Email, Name: in.Name, Role: in.Role,
		Status: StaffActive, CreatedAt: now, UpdatedAt: now, CreatedBy: Actor(p)}
	err := s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertStaff(ctx, st); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "staff.created", "staff", st.ID, nil, st)
	})
	return st, err
}

// StaffPatch changes a staff user; nil fields stay as they are.
type StaffPatch struct {
	Name   *string
	Role   *Role
	Status *string
}

// UpdateStaff changes a staff user; it needs admin scope.
func (s *Service) UpdateStaff(ctx context.Context, p access.Principal, id string, in StaffPatch) (Staff, error) {
	if err := p.Can(access.Administer); err != nil {
		return Staff{}, err
	}
	var after Staff
	err := s.Store.Write(ctx, func(tx Tx) error {
		before, err := tx.GetStaff(ctx, p.TenantID, id)
		if err != nil {
			return err
		}
		after = before
		var f errs.Fields
		if in.Name != nil {
			after.Name = valid.Text(&f, "name", *in.Name, true, 200)
		}
		if in.Role != nil {
			after.Role = valid.OneOf(&f, "role", *in.Role, true, Roles)
		}
		if in.Status != nil {
			after.Status = valid.OneOf(&f, "status", *in.Status, true, []string{StaffActive, StaffDisabled})
		}
		if err := f.Err(); err != nil {
			return err
		}
		after.UpdatedAt = s.Clock.Now()
		if after.Role != before.Role || after.Status == StaffActive && before.Status != StaffActive {
			after.EmpoweredBy, after.EmpoweredAt = Actor(p), &after.UpdatedAt
		}
		if err := tx.UpdateStaff(ctx, after); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, after.UpdatedAt, "staff.updated", "staff", id, before, after)
	})
	s.keys.invalidate()
	return after, err
}

// GetStaff returns one staff user; like every staff read, it needs admin
// scope (staff users are personal data and say who may act).
func (s *Service) GetStaff(ctx context.Context, p access.Principal, id string) (Staff, error) {
	if err := p.Can(access.Administer); err != nil {
		return Staff{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Staff, error) { return tx.GetStaff(ctx, p.TenantID, id) })
}

// ListStaff returns a page of staff users in creation order.
func (s *Service) ListStaff(ctx context.Context, p access.Principal, r page.Request) (page.Page[Staff], error) {
	if err := p.Can(access.Administer); err != nil {
		return page.Page[Staff]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Staff, error) { return tx.ListStaff(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(st Staff) string { return st.ID }), err
}

// StaffByEmail finds a staff user by e-mail.
func (s *Service) StaffByEmail(ctx context.Context, p access.Principal, email string) (Staff, error) {
	if err := p.Can(access.Administer); err != nil {
		return Staff{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Staff, error) {
		return tx.StaffByEmail(ctx, p.TenantID, strings.ToLower(strings.TrimSpace(email)))
	})
}

// ListTenants lists every tenant, for the platform operator's tools (jobs
// run for each tenant); it takes no principal.
func (s *Service) ListTenants(ctx context.Context) ([]Tenant, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Tenant, error) { return tx.ListTenants(ctx) })
}
