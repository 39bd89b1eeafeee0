package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/loyal-b2b/loyal/internal/analytics"
)

// A pass over the packs has two halves of about equal cost at 100,000
// organizations: reading them (the database's rows, the packs' digits, each
// organization's facts put in time order) and the report's work on each
// fact. ScanPacked runs the first on a goroutine of its own and the second
// on the caller's, so that a report uses two cores; fn still sees every
// fact in the same order, one at a time, inside the caller's transaction
// (one snapshot).

// scanBatch is about how many facts the reading goroutine hands over at
// once (whole organizations: a batch ends at an organization's end).
const scanBatch = 4096

// scanBuffers is how many batches exist: one being read, one being
// reported on, one waiting.
const scanBuffers = 3

// errScanStopped ends the reading once the report stopped; the report's
// own error is what ScanPacked returns.
var errScanStopped = errors.New("the scan was stopped")

// ScanPacked calls fn for every fact before toMs from the packs, ordered
// by organization then time, as ScanFacts does from the facts. An error of
// fn stops the reading and is returned. fn must not use the transaction:
// the packs are being read on it meanwhile.
func (t *Tx) ScanPacked(ctx context.Context, tenantID string, toMs int64, fn func(analytics.Fact) error) error {
	r := &packReader{ctx: ctx, full: make(chan []analytics.Fact, scanBuffers), empty: make(chan []analytics.Fact, scanBuffers),
		stop: make(chan struct{}), toMs: toMs, f: analytics.Fact{TenantID: tenantID}}
	for range scanBuffers {
		r.empty <- make([]analytics.Fact, 0, scanBatch)
	}
	var readErr error
	go func() {
		defer close(r.full)
		readErr = t.readPacks(r)
	}()
	var err error
	for batch := range r.full { // read to the end, so the reader has stopped when this returns
		for i := 0; i < len(batch) && err == nil; i++ {
			if err = fn(batch[i]); err != nil {
				close(r.stop) // not a cancelled context: on PostgreSQL that would break the transaction's connection
			}
		}
		r.empty <- batch[:0] // never blocks: there are only scanBuffers batches
	}
	return cmp.Or(err, readErr)
}

// readPacks reads the packs before toMs and hands their facts over in
// batches of whole organizations, each in time order.
func (t *Tx) readPacks(r *packReader) error {
	rows, err := t.query(r.ctx, `SELECT organization_id, facts FROM analytics_org_facts WHERE tenant_id = $1 AND year <= $2
		ORDER BY tenant_id, organization_id, year`, r.f.TenantID, yearOf(r.toMs-1))
	if err != nil {
		return err
	}
	defer rows.Close()
	if r.batch, err = r.take(); err != nil {
		return err
	}
	var org, pack sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&org, &pack); err != nil {
			return err
		}
		if string(org) != r.f.OrganizationID {
			if err := r.endOrg(); err != nil {
				return err
			}
			r.f.OrganizationID = string(org)
		}
		if r.batch, err = unpack(r.batch, pack, r.f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := r.endOrg(); err != nil {
		return err
	}
	return r.give()
}

// packReader collects the facts of readPacks into batches.
type packReader struct {
	ctx   context.Context
	full  chan []analytics.Fact // batches to report on
	empty chan []analytics.Fact // batches to fill
	stop  chan struct{}         // closed when the reporting stopped
	toMs  int64
	f     analytics.Fact   // the organization being read
	batch []analytics.Fact // whole organizations, then the one being read from start
	start int
}

// endOrg puts the organization just read in time order, drops its facts
// from toMs on, and hands the batch over once it is large enough.
func (r *packReader) endOrg() error {
	org := r.batch[r.start:]
	byTime := func(a, b analytics.Fact) int { return cmp.Compare(a.OccurredMs, b.OccurredMs) }
	if !slices.IsSortedFunc(org, byTime) { // packs are appended as facts arrive: mostly in order already
		slices.SortStableFunc(org, byTime)
	}
	end, _ := slices.BinarySearchFunc(org, r.toMs, func(f analytics.Fact, to int64) int { return cmp.Compare(f.OccurredMs, to) })
	r.batch = r.batch[:r.start+end]
	r.start = len(r.batch)
	if len(r.batch) < scanBatch {
		return nil
	}
	if err := r.give(); err != nil {
		return err
	}
	var err error
	r.start = 0
	r.batch, err = r.take()
	return err
}

// give hands the batch over, unless the scan was stopped.
func (r *packReader) give() error {
	if len(r.batch) == 0 {
		return nil
	}
	select {
	case r.full <- r.batch:
		return nil
	case <-r.stop:
		return errScanStopped
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
}

// take waits for an empty batch, unless the scan was stopped.
func (r *packReader) take() ([]analytics.Fact, error) {
	select {
	case b := <-r.empty:
		return b, nil
	case <-r.stop:
		return nil, errScanStopped
	case <-r.ctx.Done():
		return nil, r.ctx.Err()
	}
}
