package importer

import (
	"context"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// run is one import in progress.
type run struct {
	s    *Service
	p    access.Principal
	req  *Request
	sum  *Summary
	plan *planner
	todo []eventKey // events to ingest, in time order
	// todoReturns and skippedReturns are the external ids of the returns
	// to ingest and of those not ingested (organization unknown, or
	// assumed in a dry run).
	todoReturns, skippedReturns map[string]bool
	source                      string
}

// organizations finds the file's customers the tenant knows, creates the
// others (or skips their rows), and leaves the events to ingest in todo.
// It returns the ids of the known ones, those of credit lines without an
// invoice in the file among them.
func (r *run) organizations(ctx context.Context) (map[string]string, error) {
	country := map[string]string{}
	var refs []string
	for _, k := range r.plan.order {
		org, c := r.plan.orgOf(k)
		if _, ok := country[org]; !ok {
			refs = append(refs, org)
			country[org] = c
		}
	}
	creatable := len(refs)
	for _, l := range r.plan.unmatched {
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
	return ids, r.split(known)
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
func (r *run) reject1(l line, reason, msg string) error {
	return r.plan.errs.add(int(l.row), reason, msg, r.plan.fields(l.off))
}

func (r *run) reject(e Planned, reason, msg string) error {
	for i, row := range e.Rows {
		if err := r.plan.errs.add(int(row), reason, msg, r.plan.fields(e.offs[i])); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) created(rows int, ret bool) {
	r.sum.EventsCreated++
	r.sum.LinesImported += rows
	if ret {
		r.sum.ReturnsCreated++
	} else {
		r.sum.InvoicesCreated++
	}
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
