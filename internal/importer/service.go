package importer

import (
	"context"
	"io"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Import is the record of one import run.
type Import struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"-"`
	FileName    string    `json:"file_name"`
	MappingID   string    `json:"mapping_id,omitempty"`
	MappingName string    `json:"mapping_name"`
	Summary     Summary   `json:"summary"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
}

// SavedMapping is a mapping kept for a tenant under a name.
type SavedMapping struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	Name      string    `json:"name"`
	Mapping   Mapping   `json:"mapping"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Tx is what imports need from storage.
type Tx interface {
	party.OrgReader
	audit.Writer
	// OrganizationIDsByExternalID maps those of the external ids the
	// tenant knows to their organizations' ids (one statement per call).
	OrganizationIDsByExternalID(ctx context.Context, tenantID string, exts []string) (map[string]string, error)
	// InsertOrganizationsIfAbsent stores organizations, leaving out each
	// whose external id the tenant has; it returns the ids it stored.
	InsertOrganizationsIfAbsent(ctx context.Context, orgs []party.Organization) (map[string]bool, error)
	// InsertAudits stores audit entries in one statement.
	InsertAudits(ctx context.Context, es []audit.Entry) error
	InsertImport(ctx context.Context, im Import) error
	GetImport(ctx context.Context, tenantID, id string) (Import, error)
	ListImports(ctx context.Context, tenantID string, r page.Request) ([]Import, error)
	// PutMapping inserts a mapping, or replaces the one of its name.
	PutMapping(ctx context.Context, m SavedMapping) (SavedMapping, error)
	// GetMapping finds a mapping by id or by name.
	GetMapping(ctx context.Context, tenantID, ref string) (SavedMapping, error)
	ListMappings(ctx context.Context, tenantID string, r page.Request) ([]SavedMapping, error)
	// InvoicesOf reads an organization's latest invoices of one source.
	InvoicesOf(ctx context.Context, tenantID, orgID, source string, limit int) ([]events.Record, error)
	// EventsByPrefix reads the events of a source whose external ids
	// start with prefix.
	EventsByPrefix(ctx context.Context, tenantID, source, prefix string) ([]events.Record, error)
}

// Service imports files.
type Service struct {
	Store  txn.Runner[Tx]
	Events *events.Service
	Clock  clock.Clock
	// BatchSize is how many events one ingestion call carries (at most
	// events.MaxBatch; 0 means that).
	BatchSize int
}

// Request is one file to import.
type Request struct {
	FileName  string
	Body      io.Reader
	Mapping   Mapping
	MappingID string // the saved mapping used, if any
	DryRun    bool
	// CreateOrganizations creates the customers the tenant does not know
	// (type Mapping.OrganizationType, default dealer); otherwise their
	// rows are skipped as unknown_organization.
	CreateOrganizations bool
	Progress            Progress
	Limits              Limits
}

// Result is an import's record and the rows not imported, in row order:
// every one, up to the first MaxErrorRows of each reason.
type Result struct {
	Import     Import
	Header     []string
	Rejections []Rejection
}

// Run imports one file. Errors of the file as a whole (unreadable, a
// missing column) write nothing; wrong rows are rejected and counted.
func (s *Service) Run(ctx context.Context, p access.Principal, req Request) (Result, error) {
	if err := p.Can(access.IngestEvents); err != nil {
		return Result{}, err
	}
	if err := req.Mapping.Check(); err != nil {
		return Result{}, err
	}
	started := s.Clock.Now()
	t, format, err := Open(req.Body, &req.Mapping, req.Limits)
	if err != nil {
		return Result{}, err
	}
	defer t.Close()
	pl, err := plan(ctx, t, &req.Mapping, started, req.Progress, MaxErrorRows)
	if err != nil {
		return Result{}, err
	}
	defer pl.close()
	r := &run{s: s, p: p, req: &req, sum: newSummary(format, req.DryRun, pl.rows), plan: pl, source: Source(&req.Mapping)}
	orgIDs, err := r.organizations(ctx)
	if err != nil {
		return Result{}, err
	}
	if err := r.storedReturns(ctx, orgIDs); err != nil {
		return Result{}, err
	}
	if err := r.ingest(ctx); err != nil {
		return Result{}, err
	}
	rejected := r.sum.finish(pl.errs)
	im := Import{ID: ids.New(), TenantID: p.TenantID, FileName: req.FileName, MappingID: req.MappingID,
		MappingName: req.Mapping.Name, Summary: *r.sum, StartedAt: started, FinishedAt: s.Clock.Now()}
	err = s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertImport(ctx, im); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, im.FinishedAt, "import.finished", "import", im.ID, nil, map[string]any{
			"file_name": im.FileName, "rows_read": im.Summary.RowsRead, "events_created": im.Summary.EventsCreated, "dry_run": req.DryRun})
	})
	return Result{Import: im, Header: t.Header(), Rejections: rejected}, err
}

// Get reads one import.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Import, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Import{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Import, error) { return tx.GetImport(ctx, p.TenantID, id) })
}

// List reads imports, oldest first.
func (s *Service) List(ctx context.Context, p access.Principal, r page.Request) (page.Page[Import], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Import]{}, err
	}
	items, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Import, error) { return tx.ListImports(ctx, p.TenantID, r) })
	if err != nil {
		return page.Page[Import]{}, err
	}
	return page.Build(r, items, func(im Import) string { return im.ID }), nil
}
