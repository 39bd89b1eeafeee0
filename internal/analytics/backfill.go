package analytics

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// backfillPage is how many events one backfill transaction copies.
const backfillPage = 1000

// Backfill writes the sales facts of a tenant's purchases and returns
// stored before analytics existed (`loyal analytics backfill`), page by
// page, and returns how many it wrote. Running it again writes nothing.
func (s *Service) Backfill(ctx context.Context, tenantID string) (int, error) {
	n, after := 0, ""
	for {
		done, err := txn.Do(ctx, s.Store, func(tx Tx) (int, error) {
			recs, err := tx.EventsWithoutFacts(ctx, tenantID, after, backfillPage)
			if err != nil || len(recs) == 0 {
				return 0, err
			}
			for i := range recs {
				f, ok, err := FactOf(ctx, tx, &recs[i])
				if err != nil {
					return 0, err
				}
				if ok {
					if err := tx.InsertFact(ctx, f); err != nil {
						return 0, err
					}
				}
			}
			after = recs[len(recs)-1].ID
			return len(recs), nil
		})
		n += done
		if err != nil || done < backfillPage {
			return n, err
		}
	}
}
