package httpapi_test

import (
	"context"
	"maps"
	"time"
)

// Helpers shared by the events_*_test.go files: programs in any tenant,
// events, outcomes and quotes as the API returns them.

// outcome is one program's outcome for an event.
type outcome struct {
	ProgramID string `json:"program_id"`
	Status    string `json:"status"`
	Reason    string `json:"reason"`
	Earns     []struct {
		OwnerType string     `json:"owner_type"`
		Points    int64      `json:"points"`
		RuleID    string     `json:"rule_id"`
		Reason    string     `json:"reason"`
		ExpiresAt *time.Time `json:"expires_at"`
	} `json:"earns"`
	Clawbacks []struct {
		Points int64 `json:"points"`
	} `json:"clawbacks"`
	Stamps *struct {
		Added, Total, Completed, Needed int64
	} `json:"stamps"`
	Tier *struct {
		From, To, Reason string
	} `json:"tier"`
	Rewards []struct {
		Type     string `json:"type"`
		RewardID string `json:"reward_id"`
		Name     string `json:"name"`
		CouponID string `json:"coupon_id"`
	} `json:"rewards"`
	Notes []string `json:"notes"`
}

// points is what the outcome credits in all.
func (o outcome) points() int64 {
	var n int64
	for _, x := range o.Earns {
		n += x.Points
	}
	return n
}

// eventResult is the answer to one event.
type eventResult struct {
	ID        string    `json:"id"`
	Duplicate bool      `json:"duplicate"`
	DryRun    bool      `json:"dry_run"`
	Results   []outcome `json:"results"`
}

// only is the event's single program outcome.
func (r eventResult) only(e *env) outcome {
	e.t.Helper()
	if len(r.Results) != 1 {
		e.t.Fatalf("event %s has %d outcomes, want 1: %+v", r.ID, len(r.Results), r)
	}
	return r.Results[0]
}

// quoteResult is a priced cart.
type quoteResult struct {
	Subtotal, Discount, Total int64
	PointsToEarn              int64  `json:"points_to_earn"`
	PointsOnOrder             int64  `json:"points_on_order"`
	PointsNote                string `json:"points_note"`
	Lines                     []struct {
		Amount, Discount, Net int64
		Reasons               []string
	}
	Discounts []struct {
		DiscountID string `json:"discount_id"`
		Amount     int64
		Reason     string
	}
	NotApplied []struct {
		DiscountID string `json:"discount_id"`
		Reason     string
	} `json:"not_applied"`
	Tier    string
	Reasons []string
}

// refusal is the reason a discount did not apply, or "".
func (q quoteResult) refusal(id string) string {
	for _, r := range q.NotApplied {
		if r.DiscountID == id {
			return r.Reason
		}
	}
	return ""
}

// newProgramIn creates, with key, a program with a point type worth 1.00
// EUR per point (ptExtra overrides or adds point-type fields) and the given
// definition, and activates it. It creates no organization.
func newProgramIn(e *env, key string, def, ptExtra obj) programFixture {
	e.t.Helper()
	var f programFixture
	e.do("POST", "/v1/programs", key, obj{"name": "Dealer Club"}).must(201, &f.program)
	pid := str(f.program["id"])
	pt := obj{"code": "points", "name": "Club points", "unit": "points", "currency": "EUR", "value_num": 100, "value_den": 1, "expiry": "never"}
	maps.Copy(pt, ptExtra)
	e.do("POST", "/v1/programs/"+pid+"/point-types", key, pt).must(201, &f.pt)
	def = maps.Clone(def)
	def["point_type_id"] = f.pt["id"]
	if def["currency"] == nil {
		def["currency"] = "EUR"
	}
	e.do("POST", "/v1/programs/"+pid+"/versions", key, obj{"definition": def}).must(201, nil)
	e.do("POST", "/v1/programs/"+pid+"/status", key, obj{"status": "active"}).must(200, nil)
	return f
}

// dealer creates a dealer with an ERP id, with key.
func (e *env) dealer(key, ext string) obj {
	e.t.Helper()
	var o obj
	e.do("POST", "/v1/organizations", key, obj{"type": "dealer", "name": "Dealer " + ext, "external_id": ext, "region": "north"}).must(201, &o)
	return o
}

// event is an event of an organization (ERP id) at the epoch.
func event(typ, ext, org string, lines ...obj) obj {
	return obj{"type": typ, "source": "erp", "external_id": ext, "occurred_at": epoch.Format(time.RFC3339),
		"organization": "ext:" + org, "currency": "EUR", "lines": lines}
}

// returnOf is a return of lines of invoice orig.
func returnOf(ext, orig, org string, lines ...obj) obj {
	r := event("return", ext, org, lines...)
	r["original"] = orig
	return r
}

// saleLine is a line of an item on sale.
func saleLine(sku string, qty, price int64) obj {
	l := line(sku, qty, price)
	l["on_sale"] = true
	return l
}

// send posts one event with key and decodes the answer.
func (e *env) send(key string, ev obj) eventResult {
	e.t.Helper()
	var r eventResult
	e.do("POST", "/v1/events", key, ev).must(200, &r)
	return r
}

// sendBatch posts a batch with key and decodes the answers.
func (e *env) sendBatch(key string, evs []obj) []eventResult {
	e.t.Helper()
	var r struct{ Results []eventResult }
	e.do("POST", "/v1/events:batch", key, obj{"events": evs}).must(200, &r)
	if len(r.Results) != len(evs) {
		e.t.Fatalf("%d results for %d events", len(r.Results), len(evs))
	}
	return r.Results
}

// quote prices a cart of organization org (ERP id) in tenant A.
func (e *env) quote(org string, lines ...obj) quoteResult {
	e.t.Helper()
	var q quoteResult
	e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:" + org, "currency": "EUR", "lines": lines}).must(200, &q)
	return q
}

// balanceOf is the available points of an organization (ERP id), with key.
func (e *env) balanceOf(key, org string) int64 {
	e.t.Helper()
	var w wallet
	e.do("GET", "/v1/organizations/ext:"+org+"/wallet", key, nil).must(200, &w)
	if len(w.Balances) == 0 {
		return 0
	}
	return w.Balances[0].Available
}

// ledgerOK runs the ledger check of `loyal ledger check` on a tenant.
func (e *env) ledgerOK(tenantID string) {
	e.t.Helper()
	probs, err := e.app.Ledger.Check(context.Background(), tenantID)
	if err != nil || len(probs) != 0 {
		e.t.Fatalf("ledger check: %+v %v", probs, err)
	}
}
