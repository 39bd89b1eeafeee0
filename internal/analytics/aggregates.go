package analytics

import (
	"context"
	"math"
)

// Reports read aggregates that storage maintains in the transaction that
// writes what they summarize (docs/ANALYTICS.md, "Aggregates"):
//   - packed facts: each organization's facts of a year in one row, so a
//     pass over all history reads one row per organization and year;
//   - daily totals of every system account (economics);
//   - each wallet's latest earn or spend (participation).
//
// All are exact: a report from them equals the report recomputed from the
// facts and the ledger (Service.FromScratch), which a test checks after
// random histories on both engines.

// AggregatesTx is what reading the aggregates needs from storage.
type AggregatesTx interface {
	// PacksPending tells whether the tenant's packs await a rebuild (a
	// database migrated from before them): reports read the facts until then.
	PacksPending(ctx context.Context, tenantID string) (bool, error)
	// ScanPacked is ScanFacts from the packs; fn must not use the
	// transaction, on which the packs are read meanwhile.
	ScanPacked(ctx context.Context, tenantID string, toMs int64, fn func(Fact) error) error
	// WalletActivity is LedgerWalletActivity from the aggregate.
	WalletActivity(ctx context.Context, tenantID string, pointTypes []string, activeFromMs, toMs int64) ([]Activity, error)
	// SystemDays sums system accounts' daily totals over days [fromDay, toDay).
	SystemDays(ctx context.Context, tenantID string, accounts []string, fromDay, toDay int64) (map[string]int64, error)
	// SystemMoves sums system accounts' postings effective in [fromMs, toMs)
	// from the ledger.
	SystemMoves(ctx context.Context, tenantID string, accounts []string, fromMs, toMs int64) (map[string]int64, error)
}

// scanFacts streams the facts before toMs by organization and time, from
// the packs unless the service recomputes or the packs are not built.
func (s *Service) scanFacts(ctx context.Context, tx Tx, tenantID string, toMs int64, fn func(Fact) error) error {
	packed, err := s.packed(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	if !packed {
		return tx.ScanFacts(ctx, tenantID, toMs, fn)
	}
	return tx.ScanPacked(ctx, tenantID, toMs, fn)
}

// packed tells whether to read the packs.
func (s *Service) packed(ctx context.Context, tx Tx, tenantID string) (bool, error) {
	if s.FromScratch {
		return false, nil
	}
	pending, err := tx.PacksPending(ctx, tenantID)
	return !pending, err
}

// orgTotals sums each organization's facts in [fromMs, toMs): one pass
// over the packs, or the facts' SQL sums.
func (s *Service) orgTotals(ctx context.Context, tx Tx, tenantID string, fromMs, toMs int64) ([]OrgTotal, error) {
	packed, err := s.packed(ctx, tx, tenantID)
	if err != nil || !packed {
		if err == nil {
			return tx.OrgTotals(ctx, tenantID, fromMs, toMs)
		}
		return nil, err
	}
	var out []OrgTotal
	var c checked
	err = tx.ScanPacked(ctx, tenantID, toMs, func(f Fact) error {
		if f.OccurredMs < fromMs {
			return nil
		}
		if len(out) == 0 || out[len(out)-1].OrganizationID != f.OrganizationID {
			out = append(out, OrgTotal{OrganizationID: f.OrganizationID})
		}
		o := &out[len(out)-1]
		if f.Type == FactReturn {
			c.Add(&o.Returns, f.Amount)
			c.Sub(&o.Cost, f.Cost)
			return nil
		}
		o.Orders++
		c.Add(&o.Purchases, f.Amount)
		c.Add(&o.Cost, f.Cost)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, c.err()
}

// activity lists the organizations that earned or spent before toMs, and
// whether they did at or after activeFromMs.
func (s *Service) activity(ctx context.Context, tx Tx, tenantID string, pointTypes []string, activeFromMs, toMs int64) ([]Activity, error) {
	if s.FromScratch {
		return tx.LedgerWalletActivity(ctx, tenantID, pointTypes, activeFromMs, toMs)
	}
	return tx.WalletActivity(ctx, tenantID, pointTypes, activeFromMs, toMs)
}

// systemSums sums system accounts over [fromMs, toMs) and before toMs:
// whole days from the daily totals, the partial days at the edges from
// the ledger's time index.
func (s *Service) systemSums(ctx context.Context, tx Tx, tenantID string, accounts []string, fromMs, toMs int64) ([]SystemSum, error) {
	if s.FromScratch {
		return tx.SystemSums(ctx, tenantID, accounts, fromMs, toMs)
	}
	in, err := s.moved(ctx, tx, tenantID, accounts, fromMs, toMs)
	if err != nil {
		return nil, err
	}
	before, err := s.moved(ctx, tx, tenantID, accounts, math.MinInt64, toMs)
	if err != nil {
		return nil, err
	}
	out := make([]SystemSum, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, SystemSum{AccountID: a, InRange: in[a], BeforeTo: before[a]})
	}
	return out, nil
}

// moved sums each account over [fromMs, toMs) (fromMs MinInt64: all
// before toMs). Days are UTC days of non-negative times.
func (s *Service) moved(ctx context.Context, tx Tx, tenantID string, accounts []string, fromMs, toMs int64) (map[string]int64, error) {
	firstDay, endDay := int64(math.MinInt64), floorDiv(toMs, dayMs)
	if fromMs != math.MinInt64 {
		firstDay = -floorDiv(-fromMs, dayMs) // the first whole day
	}
	if firstDay >= endDay {
		return tx.SystemMoves(ctx, tenantID, accounts, fromMs, toMs)
	}
	var parts []map[string]int64
	days, err := tx.SystemDays(ctx, tenantID, accounts, firstDay, endDay)
	parts = append(parts, days)
	if err == nil && fromMs != math.MinInt64 {
		days, err = tx.SystemMoves(ctx, tenantID, accounts, fromMs, firstDay*dayMs)
		parts = append(parts, days)
	}
	if err == nil {
		days, err = tx.SystemMoves(ctx, tenantID, accounts, endDay*dayMs, toMs)
		parts = append(parts, days)
	}
	if err != nil {
		return nil, err
	}
	var c checked
	sum := map[string]int64{}
	for _, p := range parts {
		for a, v := range p {
			x := sum[a]
			c.Add(&x, v)
			sum[a] = x
		}
	}
	return sum, c.err()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
