package httpapi_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// analyticsHistory is the small history the analytics tests share.
type analyticsHistory struct {
	club           programFixture
	d1, d2, d3, d4 obj
	pilot          obj
	rangeQ         string // from=2025-11-01&to=2026-03-03
}

// sale is an invoice of organization org (ERP id) on a day.
func sale(ext, org, day string, lines ...obj) obj {
	ev := event("invoice", ext, org, lines...)
	ev["occurred_at"] = day + "T10:00:00Z"
	return ev
}

// buildAnalyticsHistory makes, in tenant A: a club earning 8 points per
// invoice (points worth 1.00 EUR, expiring after 60 days); dealers D1
// (3 invoices, one partly returned, 5 points spent), D2 (2 invoices in
// November) and installer D3 (1 invoice); dealer D4 without events; a
// piloted program with D1 in the pilot and D2, D3 as control.
func buildAnalyticsHistory(e *env) analyticsHistory {
	e.t.Helper()
	h := analyticsHistory{rangeQ: "from=2025-11-01&to=2026-03-03"}
	h.club = newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "eight", "effects": []obj{{"type": "earn", "fixed": 8}}}}}, obj{"expiry": "days:60"})
	h.d1 = e.createOrg(obj{"type": "dealer", "name": "D1", "external_id": "D1", "region": "north"})
	h.d2 = e.createOrg(obj{"type": "dealer", "name": "D2", "external_id": "D2", "region": "north"})
	h.d3 = e.createOrg(obj{"type": "installer", "name": "D3", "external_id": "D3", "region": "south"})
	h.d4 = e.createOrg(obj{"type": "dealer", "name": "D4", "external_id": "D4", "region": "north"})
	for i, o := range []obj{h.d1, h.d1, h.d2, h.d4} {
		e.createMember(obj{"organization_id": o["id"], "name": "M" + string(rune('a'+i)), "roles": []string{"sales"}})
	}
	costly := line("X", 1, 10000)
	costly["cost"] = 6000
	evs := []obj{
		sale("I1", "D1", "2025-12-01", costly),
		sale("I2", "D1", "2026-01-01", line("X", 1, 10000)),
		sale("I3", "D1", "2026-02-01", line("A", 2, 5000), line("B", 1, 10000)),
		sale("I4", "D2", "2025-11-01", line("X", 1, 5000)),
		sale("I5", "D2", "2025-11-11", line("X", 1, 5000)),
		sale("I6", "D3", "2026-02-20", line("X", 1, 3000)),
	}
	for _, ev := range evs {
		if o := e.send(e.keyA, ev).only(e); o.points() != 8 {
			e.t.Fatalf("%s earned %d, want 8", ev["external_id"], o.points())
		}
	}
	ret := returnOf("R1", "I3", "D1", obj{"sku": "A", "qty": 1})
	ret["occurred_at"] = "2026-02-05T10:00:00Z"
	if o := e.send(e.keyA, ret).only(e); len(o.Clawbacks) != 1 || o.Clawbacks[0].Points != 2 {
		e.t.Fatalf("return clawed back %+v, want 2 points (8 × 5,000 / 20,000)", o.Clawbacks)
	}
	// Lots older than 60 days expire: D2's two and D1's of December (its
	// January lot expires at 2026-03-02 10:00, after now): 24 points.
	if n, err := e.app.Ledger.ExpireDue(t0(), e.tidA, epoch, 1000); err != nil || n != 3 {
		e.t.Fatalf("expired %d lots (%v), want 3", n, err)
	}
	e.do("POST", "/v1/ledger/spend", e.keyA, obj{"owner": obj{"type": "organization", "id": "ext:D1"}, "point_type_id": h.club.pt["id"],
		"amount": 5, "reason": "order paid with points"}, "Idempotency-Key", "an-spend").must(201, nil)
	e.do("POST", "/v1/programs", e.keyA, obj{"name": "Pilot"}).must(201, &h.pilot)
	var pt obj
	pid := str(h.pilot["id"])
	e.do("POST", "/v1/programs/"+pid+"/point-types", e.keyA, obj{"code": "p", "name": "P", "unit": "points", "currency": "EUR", "value_num": 1, "value_den": 1}).must(201, &pt)
	e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": obj{"currency": "EUR", "point_type_id": pt["id"],
		"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}}).must(201, nil)
	e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": "pilot", "pilot": []any{h.d1["id"]}, "control": []any{h.d2["id"], h.d3["id"]}}).must(200, nil)
	return h
}

// TestAnalyticsReports checks every report's numbers against the history,
// computed by hand, on both engines.
func TestAnalyticsReports(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		h := buildAnalyticsHistory(e)
		club := "&program=" + str(h.club.program["id"])
		get := func(path string, v any) { e.do("GET", path, e.keyA, nil).must(200, v) }

		// Participation: D1–D4 are eligible (4 organizations, 4 members);
		// D1–D3 enrolled by their first invoice (3 members); D1 and D3
		// earned or spent since 2025-12-03, D2 only in November.
		var part struct {
			EligibleOrganizations int64   `json:"eligible_organizations"`
			EnrolledOrganizations int64   `json:"enrolled_organizations"`
			EligibleMembers       int64   `json:"eligible_members"`
			EnrolledMembers       int64   `json:"enrolled_members"`
			ActiveOrganizations   int64   `json:"active_organizations"`
			NeverUsed             int64   `json:"never_used"`
			ActiveShare           float64 `json:"active_share"`
		}
		get("/v1/analytics/participation?"+h.rangeQ+club, &part)
		want := struct{ a, b, c, d, e, f int64 }{4, 3, 4, 3, 2, 0}
		if got := (struct{ a, b, c, d, e, f int64 }{part.EligibleOrganizations, part.EnrolledOrganizations, part.EligibleMembers, part.EnrolledMembers, part.ActiveOrganizations, part.NeverUsed}); got != want || part.ActiveShare != 0.6667 {
			t.Fatalf("participation %+v", part)
		}

		// Sales: purchases 10,000 + 10,000 + 20,000 + 5,000 + 5,000 + 3,000 =
		// 53,000 in 6 orders by 3 organizations; 5,000 returned.
		var sales struct {
			Revenue, Purchases, Returns, Orders int64
			BuyingOrganizations                 int64   `json:"buying_organizations"`
			AverageOrderValue                   int64   `json:"average_order_value"`
			RevenuePerOrganization              int64   `json:"revenue_per_organization"`
			OrdersPerOrganization               float64 `json:"orders_per_organization"`
		}
		get("/v1/analytics/sales?"+h.rangeQ+club, &sales)
		if sales.Revenue != 48000 || sales.Purchases != 53000 || sales.Returns != 5000 || sales.Orders != 6 || sales.BuyingOrganizations != 3 ||
			sales.AverageOrderValue != 8833 || sales.OrdersPerOrganization != 2 || sales.RevenuePerOrganization != 16000 {
			t.Fatalf("sales %+v", sales)
		}
		// Backfill: facts exist for every event, so it writes none; with
		// them gone (events stored before analytics) it writes all 7 back.
		if n, err := e.app.Analytics.Backfill(t0(), e.tidA); err != nil || n != 0 {
			t.Fatalf("backfill over complete facts wrote %d (%v)", n, err)
		}
		for _, table := range []string{"sales_facts", "analytics_org_facts"} { // neither held them then
			if err := e.app.DB.Exec(t0(), `DELETE FROM `+table+` WHERE tenant_id = $1`, e.tidA); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := e.app.Analytics.Backfill(t0(), e.tidA); err != nil || n != 7 {
			t.Fatalf("backfill wrote %d (%v), want 7", n, err)
		}
		get("/v1/analytics/sales?"+h.rangeQ+club, &sales)
		if sales.Revenue != 48000 || sales.Returns != 5000 || sales.Orders != 6 {
			t.Fatalf("sales after backfill %+v", sales)
		}
		// A range of January only: I2 alone.
		get("/v1/analytics/sales?from=2026-01-01&to=2026-02-01", &sales)
		if sales.Revenue != 10000 || sales.Orders != 1 {
			t.Fatalf("January sales %+v", sales)
		}

		checkOrganizations(t, e, h)
		checkCohorts(t, e, h)
		checkEconomics(t, e, h, club)

		// Uplift: pilot D1 35,000 per organization; control (D2 10,000,
		// D3 3,000) 6,500; difference 28,500, i.e. 4.3846 × the control's.
		var up struct {
			Pilot, Control struct {
				Organizations, Revenue int64
				RevenuePerOrganization int64 `json:"revenue_per_organization"`
			}
			Difference int64
			UpliftRate *float64 `json:"uplift_rate"`
		}
		get("/v1/analytics/uplift?"+h.rangeQ+"&program="+str(h.pilot["id"]), &up)
		if up.Pilot.Organizations != 1 || up.Pilot.Revenue != 35000 || up.Control.Organizations != 2 || up.Control.Revenue != 13000 ||
			up.Control.RevenuePerOrganization != 6500 || up.Difference != 28500 || up.UpliftRate == nil || *up.UpliftRate != 4.3846 {
			t.Fatalf("uplift %+v", up)
		}
		e.do("GET", "/v1/analytics/uplift?"+h.rangeQ+club, e.keyA, nil).fails(422, "validation_failed", "program")
	})
}

type orgRow struct {
	OrganizationID string   `json:"organization_id"`
	Revenue        int64    `json:"revenue"`
	Orders         int64    `json:"orders"`
	Cost           int64    `json:"cost"`
	CycleDays      *float64 `json:"cycle_days"`
	DaysSinceLast  *float64 `json:"days_since_last_order"`
	ChurnRisk      string   `json:"churn_risk"`
	ABC            string   `json:"abc"`
	R, F, M        int
}

// checkOrganizations: D1 orders every 31 days and last ordered 30 days
// before to (low risk); D2 every 10 days, 112 days ago (high); D3 once
// (unknown). ABC of 35,000 / 10,000 / 3,000 of 48,000: D2 starts at
// 72.9% (A), D3 at 93.75% (B). RFM over 3 buyers: 1 + ⌊5 × worse / 3⌋.
func checkOrganizations(t *testing.T, e *env, h analyticsHistory) {
	var page struct{ Items []orgRow }
	e.do("GET", "/v1/analytics/organizations?"+h.rangeQ+"&limit=500", e.keyA, nil).must(200, &page)
	byID := map[string]orgRow{}
	for _, r := range page.Items {
		byID[r.OrganizationID] = r
	}
	if len(page.Items) != 3 {
		t.Fatalf("organizations %+v", page.Items)
	}
	d1, d2, d3 := byID[str(h.d1["id"])], byID[str(h.d2["id"])], byID[str(h.d3["id"])]
	if d1.Revenue != 35000 || d1.Orders != 3 || d1.Cost != 6000 || *d1.CycleDays != 31 || *d1.DaysSinceLast != 29.583333333333332 ||
		d1.ChurnRisk != "low" || d1.ABC != "A" || d1.R != 2 || d1.F != 4 || d1.M != 4 {
		t.Fatalf("D1 %+v", d1)
	}
	if d2.Revenue != 10000 || *d2.CycleDays != 10 || d2.ChurnRisk != "high" || d2.ABC != "A" || d2.R != 1 || d2.F != 2 || d2.M != 2 {
		t.Fatalf("D2 %+v", d2)
	}
	if d3.CycleDays != nil || d3.ChurnRisk != "unknown" || d3.ABC != "B" || d3.R != 4 || d3.F != 1 || d3.M != 1 {
		t.Fatalf("D3 %+v", d3)
	}
	e.do("GET", "/v1/analytics/organizations?"+h.rangeQ+"&at_risk=true", e.keyA, nil).must(200, &page)
	if len(page.Items) != 1 || page.Items[0].OrganizationID != str(h.d2["id"]) {
		t.Fatalf("at risk %+v", page.Items)
	}
	// k = 12: D2's 112 idle days are within 12 × 10; still past one cycle.
	e.do("GET", "/v1/analytics/organizations?"+h.rangeQ+"&k=12", e.keyA, nil).must(200, &page)
	for _, r := range page.Items {
		if r.OrganizationID == str(h.d2["id"]) && r.ChurnRisk != "medium" {
			t.Fatalf("D2 with k=12: %+v", r)
		}
	}
	// Pages of one.
	e.do("GET", "/v1/analytics/organizations?"+h.rangeQ+"&limit=1", e.keyA, nil).must(200, &page)
	if len(page.Items) != 1 {
		t.Fatalf("page of one: %+v", page.Items)
	}
	csv := e.do("GET", "/v1/analytics/organizations?"+h.rangeQ+"&format=csv", e.keyA, nil).must(200, nil)
	lines := strings.Split(strings.TrimSpace(string(csv.Body)), "\n")
	if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || len(lines) != 4 ||
		!strings.HasPrefix(lines[0], "organization_id,revenue,orders,") ||
		!strings.Contains(string(csv.Body), str(h.d2["id"])+",10000,2,0,0,2025-11-01T10:00:00Z,2025-11-11T10:00:00Z,10,") {
		t.Fatalf("CSV %s:\n%s", ct, csv.Body)
	}
}

// checkCohorts: first orders D2 in November, D1 in December (ordering in
// December, January and February), D3 in February.
func checkCohorts(t *testing.T, e *env, h analyticsHistory) {
	var c struct {
		Items []struct {
			Month         string
			Organizations int64
			Retained      []int64
			Rates         []float64
		}
	}
	e.do("GET", "/v1/analytics/cohorts?"+h.rangeQ, e.keyA, nil).must(200, &c)
	got := ""
	for _, x := range c.Items {
		got += x.Month + ":" + i64s(x.Organizations) + ":" + joinInts(x.Retained) + " "
	}
	if want := "2025-11:1:1,0,0,0,0 2025-12:1:1,1,1,0 2026-01:0:0,0,0 2026-02:1:1,0 2026-03:0:0 "; got != want {
		t.Fatalf("cohorts\n got %s\nwant %s", got, want)
	}
	csv := e.do("GET", "/v1/analytics/cohorts?"+h.rangeQ+"&format=csv", e.keyA, nil).must(200, nil)
	if want := "month,organizations,month_0,month_1,month_2,month_3,month_4\n2025-11,1,1,0,0,0,0\n2025-12,1,1,1,1,0,\n"; !strings.HasPrefix(string(csv.Body), want) {
		t.Fatalf("cohort CSV:\n%s", csv.Body)
	}
}

// checkEconomics: 6 × 8 points issued less 2 clawed back = 46; 24
// expired; 5 redeemed; 17 outstanding; a point is worth 100 minor units.
// Reward cost 4,600 − 2,400 = 2,200 (4.58% of 48,000); margin 48,000 −
// 6,000 = 42,000; ROI (42,000 − 2,200) / 2,200 = 18.0909.
func checkEconomics(t *testing.T, e *env, h analyticsHistory, club string) {
	var ec struct {
		PointTypes []struct {
			Issued, Redeemed, Expired, Outstanding int64
			IssuedValue                            int64   `json:"issued_value"`
			RedeemedValue                          int64   `json:"redeemed_value"`
			ExpiredValue                           int64   `json:"expired_value"`
			LiabilityValue                         int64   `json:"liability_value"`
			BreakageRate                           float64 `json:"breakage_rate"`
		} `json:"point_types"`
		Revenue, Cost, Margin, Liability int64
		DiscountsGiven                   int64   `json:"discounts_given"`
		RewardCostJSON                   int64   `json:"reward_cost"`
		CostShare                        float64 `json:"cost_share_of_revenue"`
		ROI                              *float64
	}
	e.do("GET", "/v1/analytics/economics?"+h.rangeQ+club, e.keyA, nil).must(200, &ec)
	if len(ec.PointTypes) != 1 {
		t.Fatalf("economics %+v", ec)
	}
	pt := ec.PointTypes[0]
	if pt.Issued != 46 || pt.Redeemed != 5 || pt.Expired != 24 || pt.Outstanding != 17 || pt.IssuedValue != 4600 || pt.RedeemedValue != 500 ||
		pt.ExpiredValue != 2400 || pt.LiabilityValue != 1700 || pt.BreakageRate != 0.5217 {
		t.Fatalf("point type %+v", pt)
	}
	if ec.Revenue != 48000 || ec.Cost != 6000 || ec.Margin != 42000 || ec.RewardCostJSON != 2200 || ec.DiscountsGiven != 500 ||
		ec.Liability != 1700 || ec.CostShare != 0.0458 || ec.ROI == nil || *ec.ROI != 18.0909 {
		t.Fatalf("economics %+v", ec)
	}
	csv := e.do("GET", "/v1/analytics/economics?"+h.rangeQ+club+"&format=csv", e.keyA, nil).must(200, nil)
	for _, want := range []string{"metric,value\n", "point_types.0.issued,46\n", "revenue,48000\n", "roi,18.0909\n"} {
		if !strings.Contains(string(csv.Body), want) {
			t.Fatalf("economics CSV lacks %q:\n%s", want, csv.Body)
		}
	}
	// Up to 2026-01-01: November's and December's earns (3 × 8), and D2's
	// first lot, which expired on 2025-12-31 (expiries take effect when
	// the lot expires, whenever the job ran).
	e.do("GET", "/v1/analytics/economics?from=2025-11-01&to=2026-01-01"+club, e.keyA, nil).must(200, &ec)
	if pt := ec.PointTypes[0]; pt.Issued != 24 || pt.Expired != 8 || pt.Outstanding != 16 {
		t.Fatalf("economics to 2026-01-01 %+v", pt)
	}
}

// TestAnalyticsBadInput: every fault names its field.
func TestAnalyticsBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var prog obj
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "P"}).must(201, &prog)
		for _, c := range []struct{ q, field string }{
			{"from=2026-03-01&to=2026-02-01", "from"},
			{"from=2026-03-01&to=2026-03-01", "from"},
			{"from=yesterday", "from"},
			{"to=2026-13-01", "to"},
			{"program=nope", "program"},
			{"k=0.5", "k"},
			{"k=-1", "k"},
			{"k=21", "k"},
		} {
			for _, path := range []string{"participation", "sales", "organizations", "cohorts", "economics"} {
				e.do("GET", "/v1/analytics/"+path+"?"+c.q, e.keyA, nil).fails(422, "validation_failed", c.field)
			}
		}
		e.do("GET", "/v1/analytics/uplift", e.keyA, nil).fails(422, "validation_failed", "program")
		e.do("GET", "/v1/analytics/uplift?program="+str(prog["id"]), e.keyA, nil).fails(422, "validation_failed", "program")
		e.do("GET", "/v1/analytics/sales?format=xml", e.keyA, nil).fails(422, "validation_failed", "format")
		e.do("GET", "/v1/analytics/sales?k=abc", e.keyA, nil).fails(422, "validation_failed", "k")
	})
}

func t0() context.Context { return context.Background() }

func i64s(n int64) string { return strconv.FormatInt(n, 10) }

func joinInts(ns []int64) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = i64s(n)
	}
	return strings.Join(s, ",")
}
