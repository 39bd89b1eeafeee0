package segment

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
)

// Source gives ingestion the segments of an organization
// (events.SegmentSource), as last refreshed. Used shares, with the
// service's refreshes, whether a tenant has segment members at all, so
// that tenants without segments pay no query per event.
type Source struct {
	Used *tenantflag.Flags
}

// SegmentsOf implements events.SegmentSource.
func (s Source) SegmentsOf(ctx context.Context, etx events.Tx, tenantID, orgID string) ([]string, error) {
	tx, ok := etx.(Tx)
	if !ok {
		return nil, errs.E(errs.Internal, "", "segment: the ingestion transaction has no segment storage")
	}
	if s.Used != nil {
		has, known := s.Used.Get(tenantID)
		if !known {
			var err error
			if has, err = tx.HasSegmentMembers(ctx, tenantID); err != nil {
				return nil, err
			}
			s.Used.Set(tenantID, has)
		}
		if !has {
			return nil, nil
		}
	}
	return tx.SegmentCodesOf(ctx, tenantID, orgID)
}
