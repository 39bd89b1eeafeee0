package importer

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// SaveMapping stores a mapping under its name, replacing an earlier one
// of that name.
func (s *Service) SaveMapping(ctx context.Context, p access.Principal, m Mapping) (SavedMapping, error) {
	if err := p.Can(access.ManageImportMap); err != nil {
		return SavedMapping{}, err
	}
	m.Name = strings.TrimSpace(m.Name)
	if m.Name == "" {
		return SavedMapping{}, errs.InvalidField("name", "required", "give the mapping a name to save it under (e.g. erp-invoices)")
	}
	if err := m.Check(); err != nil {
		return SavedMapping{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (SavedMapping, error) {
		saved, err := tx.PutMapping(ctx, SavedMapping{ID: ids.New(), TenantID: p.TenantID, Name: m.Name, Mapping: m, CreatedAt: now, UpdatedAt: now})
		if err != nil {
			return saved, err
		}
		return saved, audit.Record(ctx, tx, p, now, "import_mapping.saved", "import_mapping", saved.ID, nil, saved)
	})
}

// GetMapping reads a saved mapping by id or name.
func (s *Service) GetMapping(ctx context.Context, p access.Principal, ref string) (SavedMapping, error) {
	if err := p.Can(access.ReadData); err != nil {
		return SavedMapping{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (SavedMapping, error) { return tx.GetMapping(ctx, p.TenantID, ref) })
}

// ListMappings reads the saved mappings.
func (s *Service) ListMappings(ctx context.Context, p access.Principal, r page.Request) (page.Page[SavedMapping], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[SavedMapping]{}, err
	}
	items, err := txn.Get(ctx, s.Store, func(tx Tx) ([]SavedMapping, error) { return tx.ListMappings(ctx, p.TenantID, r) })
	if err != nil {
		return page.Page[SavedMapping]{}, err
	}
	return page.Build(r, items, func(m SavedMapping) string { return m.ID }), nil
}
