package segment

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Source gives ingestion the segments of an organization
// (events.SegmentSource), as last refreshed.
type Source struct{}

// SegmentsOf implements events.SegmentSource.
func (Source) SegmentsOf(ctx context.Context, etx events.Tx, tenantID, orgID string) ([]string, error) {
	tx, ok := etx.(Tx)
	if !ok {
		return nil, errs.E(errs.Internal, "", "segment: the ingestion transaction has no segment storage")
	}
	return tx.SegmentCodesOf(ctx, tenantID, orgID)
}
