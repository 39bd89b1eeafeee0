package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// run is one import in progress.
type run struct {
	s        *Service
	p        access.Principal
	req      *Request
	sum      *Summary
	rejected []Rejection
	todo     []Planned // events to ingest
	assumed  []Planned // dry run: events of organizations that would be created
	planned  map[string]bool
	source   string
	inFile   map[string]bool // invoice numbers of the file
	// skippedInvoices are invoices of the file not ingested (organization
	// unknown, or assumed in a dry run).
	skippedInvoices []string
}

// organizations finds the file's customers the tenant knows, creates the
// others (or skips their rows), and leaves the events to ingest in todo.
// It returns the ids of the known ones, those of credit lines without an
// invoice in the file among them.
func (r *run) organizations(ctx context.Context, evs []Planned, unmatched []line) (map[string]string, error) {
	country := map[string]string{}
	var refs []string
	for _, e := range evs {
		if _, ok := country[e.Org]; !ok {
			refs = append(refs, e.Org)
			country[e.Org] = e.Country
		}
	}
	creatable := len(refs)
	for _, l := range unmatched {
		if _, ok := country[l.org]; !ok {
			refs = append(refs, l.org)
			country[l.org] = l.country
		}
	}
	known, ids := map[string]bool{}, map[string]string{}
	err := r.s.Store.Read(ctx, func(tx Tx) error {
		for part := range slices.Chunk(refs, orgChunk) {
			got, err := tx.OrganizationIDsByExternalID(ctx, r.p.TenantID, part)
			if err != nil {
				return err
			}
			for ext, id := range got {
				known[ext], ids[ext] = true, id
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, ext := range refs[:creatable] {
		if !known[ext] {
			missing = append(missing, ext)
		}
	}
	switch {
	case r.req.CreateOrganizations && !r.req.DryRun:
		if r.sum.OrganizationsCreated, err = r.create(ctx, missing, country); err != nil {
			return nil, err
		}
	case r.req.CreateOrganizations:
		r.sum.OrganizationsCreated = len(missing)
	}
	r.split(evs, known)
	return ids, nil
}

// split sorts events into those to ingest, those assumed (dry run) and
// those skipped for an unknown organization.
func (r *run) split(evs []Planned, known map[string]bool) {
	r.planned = map[string]bool{}
	for _, e := range evs {
		switch {
		case known[e.Org] || (r.req.CreateOrganizations && !r.req.DryRun):
			r.todo = append(r.todo, e)
			r.planned[e.Input.ExternalID] = true
		case r.req.CreateOrganizations:
			r.assumed = append(r.assumed, e)
			r.skippedInvoices = append(r.skippedInvoices, e.Input.ExternalID)
			r.created(e)
		default:
			r.skippedInvoices = append(r.skippedInvoices, e.Input.ExternalID)
			r.reject(e, SkipUnknownOrg, fmt.Sprintf("the tenant has no organization with external id %s (import with create organizations to add it)", e.Org))
		}
	}
}

// orgChunk is how many organizations one statement looks up or creates.
const orgChunk = 1000

// create adds the organizations the file names and the tenant lacks, a
// thousand per transaction (one statement for the organizations, one for
// their audit entries), and returns how many it added: one that another
// request (a concurrent import of the same customers) added meanwhile is
// left as it is.
func (r *run) create(ctx context.Context, missing []string, country map[string]string) (int, error) {
	typ := party.OrgType(r.req.Mapping.OrganizationType)
	if typ == "" {
		typ = party.Dealer
	}
	total := 0
	for chunk := range slices.Chunk(missing, orgChunk) {
		n, err := txn.Do(ctx, r.s.Store, func(tx Tx) (int, error) {
			now := r.s.Clock.Now()
			orgs := make([]party.Organization, len(chunk))
			for i, ext := range chunk {
				orgs[i] = party.Organization{ID: ids.New(), TenantID: r.p.TenantID, Type: typ, Name: ext, ExternalID: ext,
					Country: countryCode(country[ext]), Status: party.OrgActive, Tags: []string{"imported"}, CreatedAt: now, UpdatedAt: now}
			}
			added, err := tx.InsertOrganizationsIfAbsent(ctx, orgs)
			if err != nil || len(added) == 0 {
				return 0, err
			}
			var entries []audit.Entry
			for _, o := range orgs {
				if !added[o.ID] {
					continue
				}
				e, err := audit.New(ctx, r.p, now, "organization.created", "organization", o.ID, nil, o)
				if err != nil {
					return 0, err
				}
				entries = append(entries, e)
			}
			return len(added), tx.InsertAudits(ctx, entries)
		})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// reject1 rejects one line.
func (r *run) reject1(l line, reason, msg string) {
	r.rejected = append(r.rejected, Rejection{Row: int(l.row), Reason: reason, Message: msg, Fields: l.raw})
	if skipReasons[reason] {
		r.sum.Skipped[reason]++
	} else {
		r.sum.Rejected[reason]++
	}
}

func (r *run) reject(e Planned, reason, msg string) {
	for i, row := range e.Rows {
		r.rejected = append(r.rejected, Rejection{Row: int(row), Reason: reason, Message: msg, Fields: e.Raw[i]})
	}
	if skipReasons[reason] {
		r.sum.Skipped[reason] += len(e.Rows)
	} else {
		r.sum.Rejected[reason] += len(e.Rows)
	}
}

func (r *run) created(e Planned) {
	r.sum.EventsCreated++
	r.sum.LinesImported += len(e.Rows)
	if e.Input.Type == engine.Return {
		r.sum.ReturnsCreated++
	} else {
		r.sum.InvoicesCreated++
	}
}

// ingest sends the events in batches. A batch the events service refuses
// is sent again event by event, so that one wrong event rejects only its
// own rows.
func (r *run) ingest(ctx context.Context) error {
	size := r.s.BatchSize
	if size <= 0 || size > events.MaxBatch {
		size = events.MaxBatch
	}
	total, done := len(r.todo), 0
	for len(r.todo) > 0 {
		batch := r.todo[:min(size, len(r.todo))]
		r.todo = r.todo[len(batch):]
		ins := make([]events.Input, len(batch))
		for i := range batch {
			ins[i] = batch[i].Input
		}
		res, err := r.s.Events.Ingest(ctx, r.p, ins, r.req.DryRun)
		switch {
		case err == nil:
			for i := range batch {
				r.outcome(batch[i], res[i])
			}
		case refused(err):
			if err := r.oneByOne(ctx, batch); err != nil {
				return err
			}
		default:
			return err
		}
		done += len(batch)
		if r.req.Progress != nil {
			r.req.Progress("ingest", done, total)
		}
	}
	return nil
}

func (r *run) oneByOne(ctx context.Context, batch []Planned) error {
	for _, e := range batch {
		res, err := r.s.Events.IngestOne(ctx, r.p, e.Input, r.req.DryRun)
		switch {
		case err == nil:
			r.outcome(e, res)
		case r.req.DryRun && code(err) == "unknown_original" && r.planned[e.Input.Original]:
			r.created(e) // its invoice is earlier in this dry run, which stored nothing
		case refused(err):
			r.reject(e, RejRefused, fmt.Sprintf("%s %s: %v", e.Input.Type, e.Input.ExternalID, err))
		default:
			return err
		}
	}
	return nil
}

func (r *run) outcome(e Planned, res events.Result) {
	if res.Duplicate {
		r.sum.EventsDuplicate++
		r.sum.LinesDuplicate += len(e.Rows)
		return
	}
	r.created(e)
}

// refused says the events service turned the input down (as opposed to
// failing).
func refused(err error) bool {
	k := errs.KindOf(err)
	return k == errs.Invalid || k == errs.Conflict || k == errs.NotFound
}

func code(err error) string {
	e := errs.As(err)
	if e == nil {
		return ""
	}
	for _, f := range e.Fields {
		if f.Code != "" {
			return f.Code
		}
	}
	return e.Code
}

// countryCode turns a country as ERP files write it into an ISO code,
// or "" when unknown.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 {
		return strings.ToUpper(s)
	}
	return countryNames[strings.ToLower(s)]
}
