package importer

import "fmt"

// split sorts the events into those to ingest, those assumed (dry run)
// and those skipped for an unknown organization.
func (r *run) split(known map[string]bool) error {
	r.todoReturns, r.skippedReturns = map[string]bool{}, map[string]bool{}
	for _, k := range r.plan.order {
		org, _ := r.plan.orgOf(k)
		switch {
		case known[org] || (r.req.CreateOrganizations && !r.req.DryRun):
			r.take(k)
		case r.req.CreateOrganizations:
			r.skip(k)
			r.created(r.plan.rowsOf(k), k.ret)
		default:
			r.skip(k)
			e, err := r.plan.event(k)
			if err != nil {
				return err
			}
			if err := r.reject(e, SkipUnknownOrg, fmt.Sprintf("the tenant has no organization with external id %s (import with create organizations to add it)", org)); err != nil {
				return err
			}
		}
	}
	return nil
}

// take plans an event for ingestion.
func (r *run) take(k eventKey) {
	r.todo = append(r.todo, k)
	if k.ret {
		r.todoReturns[r.plan.externalID(k)] = true
	} else {
		r.plan.invs[k.i].todo = true
	}
}

func (r *run) skip(k eventKey) {
	if k.ret {
		r.skippedReturns[r.plan.externalID(k)] = true
	}
}

// planned says whether an event of this id is to be ingested.
func (r *run) planned(id string) bool {
	i, ok := r.plan.byNo[id]
	return (ok && r.plan.invs[i].todo) || r.todoReturns[id]
}

// inFile says whether an invoice of this number is the file's (or a
// return of the file not ingested has this id).
func (r *run) inFile(no string) bool {
	_, ok := r.plan.byNo[no]
	return ok || r.skippedReturns[no]
}
