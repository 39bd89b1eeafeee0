package claim

import (
	"context"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Statuses lists the claim statuses.
var Statuses = []string{Pending, Approving, Approved, Rejected}

// Get returns one claim.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Claim, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Claim{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Claim, error) {
		c, err := tx.GetClaim(ctx, p.TenantID, id)
		if err != nil {
			return c, err
		}
		return c, p.RequireReach(ctx, tx, "organization", c.OrganizationID)
	})
}

// List returns a page of claims, oldest first, optionally of one
// organization (id or ext:<external id>) and in one status.
func (s *Service) List(ctx context.Context, p access.Principal, org, status string, r page.Request) (page.Page[Claim], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Claim]{}, err
	}
	if status != "" && !slices.Contains(Statuses, status) {
		return page.Page[Claim]{}, errs.InvalidField("status", "invalid_status", "status must be one of %s", strings.Join(Statuses, ", "))
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Claim, error) {
		f := Filter{Status: status, ManagedBy: p.ReachFilter()}
		if org != "" {
			o, err := party.OrgByRef(ctx, tx, p.TenantID, org)
			if err != nil {
				return nil, err
			}
			f.OrganizationID = o.ID
		}
		return tx.ListClaims(ctx, p.TenantID, f, r)
	})
	return page.Build(r, rows, func(c Claim) string { return c.ID }), err
}

// Document returns a claim's document and its description.
func (s *Service) Document(ctx context.Context, p access.Principal, id string) (DocumentInfo, []byte, error) {
	if err := p.Can(access.ReadData); err != nil {
		return DocumentInfo{}, nil, err
	}
	var info DocumentInfo
	data, err := txn.Get(ctx, s.Store, func(tx Tx) ([]byte, error) {
		c, err := tx.GetClaim(ctx, p.TenantID, id)
		if err != nil {
			return nil, err
		}
		if err := p.RequireReach(ctx, tx, "organization", c.OrganizationID); err != nil {
			return nil, err
		}
		info = c.Document
		return tx.GetClaimDocument(ctx, p.TenantID, id)
	})
	return info, data, err
}

// GetSettings returns a program's claim settings (the defaults when never
// set).
func (s *Service) GetSettings(ctx context.Context, p access.Principal, programID string) (Settings, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Settings{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Settings, error) {
		if _, err := tx.GetProgram(ctx, p.TenantID, programID); err != nil {
			return Settings{}, err
		}
		return settingsOf(ctx, tx, p.TenantID, programID)
	})
}

// MaxWindowDays bounds a claim window (ten years).
const MaxWindowDays = 3660

// PutSettings sets a program's claim settings.
func (s *Service) PutSettings(ctx context.Context, p access.Principal, set Settings) (Settings, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Settings{}, err
	}
	if set.WindowDays < 1 || set.WindowDays > MaxWindowDays {
		return Settings{}, errs.InvalidField("window_days", "out_of_range", "window_days must be between 1 and %d", MaxWindowDays)
	}
	set.UpdatedAt = s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Settings, error) {
		if _, err := tx.GetProgram(ctx, p.TenantID, set.ProgramID); err != nil {
			return set, err
		}
		before, err := settingsOf(ctx, tx, p.TenantID, set.ProgramID)
		if err != nil {
			return set, err
		}
		if err := tx.PutClaimSettings(ctx, p.TenantID, set); err != nil {
			return set, err
		}
		return set, audit.Record(ctx, tx, p, set.UpdatedAt, "claim_settings.updated", "program", set.ProgramID, before, set)
	})
}
