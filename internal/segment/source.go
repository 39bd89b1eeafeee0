package segment

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
)

// Source gives ingestion the segments of an organization
// (events.SegmentSource), as last refreshed. Used shares, with the
// service's refreshes, whether a tenant has segment members at all, so
// that tenants without segments pay no query per event.
type Source struct {
	Used *tenantflag.Flags
}

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (Source) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// SegmentsOf implements events.SegmentSource.
func (s Source) SegmentsOf(ctx context.Context, etx events.Tx, tenantID, orgID string) ([]string, error) {
	tx, err := events.TxAs[Tx](etx)
	if err != nil {
		return nil, err
	}
	has, err := s.Used.Uses(tenantID, func() (bool, error) { return tx.HasSegmentMembers(ctx, tenantID) })
	if err != nil || !has {
		return nil, err
	}
	return tx.SegmentCodesOf(ctx, tenantID, orgID)
}
