package analytics

import "testing"

// TestClassify checks the ABC boundaries (the organization that crosses
// 80% is still A) and that equal values share an RFM score.
func TestClassify(t *testing.T) {
	day := dayMs
	orgs := []*OrgStats{
		{OrganizationID: "a", Revenue: 70, Orders: 3, lastMs: 10 * day},
		{OrganizationID: "b", Revenue: 15, Orders: 3, lastMs: 10 * day},
		{OrganizationID: "c", Revenue: 10, Orders: 1, lastMs: 5 * day},
		{OrganizationID: "d", Revenue: 5, Orders: 1, lastMs: 1 * day},
		{OrganizationID: "e", Revenue: 0, Orders: 0},
	}
	classify(&checked{}, orgs, 20*day)
	// ABC of 100: a starts at 0% (A), b at 70% (A: it crosses 80%), c at
	// 85% (B), d at 95% (C). Among 4 buyers a score is 1 + ⌊5 × worse / 4⌋:
	// R on idle days 10, 10, 15, 19 (a and b tie: 2 worse → 3); F on 3, 3,
	// 1, 1; M on 70, 15, 10, 5.
	want := map[string][4]any{
		"a": {"A", 3, 3, 4},
		"b": {"A", 3, 3, 3},
		"c": {"B", 2, 1, 2},
		"d": {"C", 1, 1, 1},
		"e": {NoClass, 0, 0, 0},
	}
	for _, o := range orgs {
		got := [4]any{o.ABC, o.R, o.F, o.M}
		if got != want[o.OrganizationID] {
			t.Errorf("%s: got %v, want %v", o.OrganizationID, got, want[o.OrganizationID])
		}
	}
}

// TestFinishOrg: the cycle is the median gap (mean of the middle two when
// even) and the risk compares idle time with k × cycle.
func TestFinishOrg(t *testing.T) {
	o := &OrgStats{firstMs: 1, lastMs: 40 * dayMs}
	finishOrg(o, []int64{10 * dayMs, 2 * dayMs, 30 * dayMs, 4 * dayMs}, 60*dayMs, 2)
	if *o.CycleDays != 7 || o.ChurnRisk != RiskHigh { // idle 20 > 2 × 7
		t.Fatalf("cycle %v risk %s", *o.CycleDays, o.ChurnRisk)
	}
	finishOrg(o, []int64{10 * dayMs, 2 * dayMs, 30 * dayMs, 4 * dayMs}, 60*dayMs, 3)
	if o.ChurnRisk != RiskMedium { // 7 < 20 ≤ 21
		t.Fatalf("risk with k=3: %s", o.ChurnRisk)
	}
}
