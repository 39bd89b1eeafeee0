package engine

import (
	"reflect"
	"strings"
	"testing"
)

// TestEmployees: a member earns personal points only once the
// organization consented, never in an excluded role, and at most the
// per-person cap per month; the organization earns regardless.
func TestEmployees(t *testing.T) {
	p := compileDef(t, Definition{Beneficiary: ToBoth,
		Employees: &Employees{Excluded: []string{"accountant"}, CapPoints: 150, CapPeriod: "month"},
		Rules:     []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, Fixed: 100}}}}})
	ev := func(at int) *Event { return invoice("INV", t0.AddDate(0, 0, at), ln("A", "tools", 1, 100)) }
	const noConsent = "no personal points for the member: the organization's management has not accepted the program's employee terms"

	t.Run("without consent", func(t *testing.T) {
		out := evaluate(t, p, ProgramState{}, withMember(dealer("org-1"), "m-1", "sales", false), ev(0))
		wantEarns(t, out, pts{OwnerOrganization, 100})
		wantNotes(t, out, noConsent)
	})
	t.Run("excluded role", func(t *testing.T) {
		out := evaluate(t, p, ProgramState{}, withMember(dealer("org-1"), "m-1", "accountant", true), ev(0))
		wantEarns(t, out, pts{OwnerOrganization, 100})
		wantNotes(t, out, `no personal points for role "accountant" in this program`)
	})
	t.Run("per-person cap per month", func(t *testing.T) {
		part := withMember(dealer("org-1"), "m-1", "sales", true)
		steps := []struct {
			day  int
			want []pts
			note string
		}{
			{0, []pts{{OwnerOrganization, 100}, {OwnerMember, 100}}, ""},
			{1, []pts{{OwnerOrganization, 100}, {OwnerMember, 50}}, "personal cap of 150 points per month reached: 50 of 100 points given"},
			{2, []pts{{OwnerOrganization, 100}}, "personal cap of 150 points per month reached: 0 of 100 points given"},
			{25, []pts{{OwnerOrganization, 100}, {OwnerMember, 100}}, ""}, // December 5th
		}
		for i, s := range steps {
			out := evaluate(t, p, ProgramState{}, part, ev(s.day))
			wantEarns(t, out, s.want...)
			var notes []string
			if s.note != "" {
				notes = []string{s.note}
			}
			wantNotes(t, out, notes...)
			if i < 3 && out.MemberState.Caps["person:month:2026-11"] != min(int64(100*(i+1)), 150) {
				t.Fatalf("step %d: member caps %v", i, out.MemberState.Caps)
			}
			part.OrgState, part.MemberState = out.OrgState, out.MemberState
		}
	})
	t.Run("roles that earn", func(t *testing.T) {
		p := compileDef(t, Definition{Beneficiary: ToMember, Employees: &Employees{Roles: []string{"sales"}},
			Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, Fixed: 100}}}}})
		wantEarns(t, evaluate(t, p, ProgramState{}, withMember(dealer("org-1"), "m-1", "sales", true), ev(0)), pts{OwnerMember, 100})
		out := evaluate(t, p, ProgramState{}, withMember(dealer("org-1"), "m-2", "engineer", true), ev(0))
		wantEarns(t, out)
		wantNotes(t, out, `no personal points for role "engineer" in this program`)
		// An event without a member: member earns go nowhere.
		wantEarns(t, evaluate(t, p, ProgramState{}, dealer("org-1"), ev(0)))
	})
	t.Run("consent applies without employee settings", func(t *testing.T) {
		p := compileDef(t, Definition{Beneficiary: ToMember, Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, Fixed: 100}}}}})
		out := evaluate(t, p, ProgramState{}, withMember(dealer("org-1"), "m-1", "sales", false), ev(0))
		wantEarns(t, out)
		wantNotes(t, out, noConsent)
	})
}

// TestAdmission: audience, explicit enrollment and pilots decide whether
// the program evaluates the event at all.
func TestAdmission(t *testing.T) {
	rules := []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, Fixed: 10}}}}
	ev := invoice("INV", t0, ln("A", "tools", 2, 1000))
	t.Run("audience", func(t *testing.T) {
		p := compileDef(t, Definition{Audience: Audience{OrganizationTypes: []string{"installer"}}, Rules: rules})
		out := evaluate(t, p, ProgramState{}, dealer("org-1"), ev)
		if out.Status != Outside || out.Reason != `organizations of type "dealer" are not in the program's audience` || len(out.Earns) != 0 {
			t.Fatalf("%+v", out)
		}
	})
	t.Run("explicit enrollment", func(t *testing.T) {
		p := compileDef(t, Definition{Enrollment: "explicit", Rules: rules})
		part := dealer("org-1")
		part.OrgState.EnrolledAt = nil
		if out := evaluate(t, p, ProgramState{}, part, ev); out.Status != NotEnrolled || len(out.Earns) != 0 {
			t.Fatalf("%+v", out)
		}
	})
	t.Run("auto enrollment", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: rules})
		part := dealer("org-1")
		part.OrgState.EnrolledAt = nil
		out := evaluate(t, p, ProgramState{}, part, ev)
		if !out.Enrolled || !out.OrgState.EnrolledAt.Equal(t0) || out.Points() != 10 {
			t.Fatalf("%+v", out)
		}
	})
	t.Run("pilot control group", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: rules})
		part := dealer("org-1")
		part.Pilot = "control"
		out := evaluate(t, p, ProgramState{}, part, ev)
		if out.Status != Control || len(out.Earns) != 0 || out.OrgState.Lifetime.Spend != 2000 {
			t.Fatalf("control: %+v", out)
		}
	})
	t.Run("currency", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: rules})
		usd := invoice("INV", t0, ln("A", "tools", 2, 1000))
		usd.Currency = "USD"
		if _, err := Evaluate(p, ProgramState{}, dealer("org-1"), usd); fieldErrors(t, err)["currency"] != "currency_mismatch" {
			t.Fatalf("error %v", err)
		}
	})
}

// TestQuotePointsPayment: points pay at most max_share_bp of the order
// and at most the balance.
func TestQuotePointsPayment(t *testing.T) {
	p := compileDef(t, Definition{PointsPayment: &PointsPayment{MaxShareBP: 3000},
		Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, PercentBP: 1000}}}}})
	lines := []Line{{SKU: "A", Category: "tools", Qty: 2, UnitPrice: 30000}, {SKU: "B", Category: "paint", Qty: 4, UnitPrice: 10000}} // 1,000.00
	cases := []struct {
		name           string
		spend, balance int64
		used, total    int64
		reason         string
	}{
		{"capped by share", 500, 1000, 300, 70000, "300 points pay 300.00 (asked 500, available 1000, at most 300: 30% of the order)"},
		{"capped by balance", 500, 120, 120, 88000, "120 points pay 120.00 (asked 500, available 120, at most 300: 30% of the order)"},
		{"as asked", 50, 1000, 50, 95000, "50 points pay 50.00 (asked 50, available 1000, at most 300: 30% of the order)"},
		{"nothing asked", 0, 1000, 0, 100000, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := Quote(p, ProgramState{}, dealer("org-1"), Cart{Currency: "EUR", Lines: lines, PointsToSpend: c.spend, Balance: c.balance}, t0)
			if err != nil {
				t.Fatal(err)
			}
			if q.Subtotal != 100000 || q.PointsUsed != c.used || q.PointsPayment != c.used*100 || q.Total != c.total {
				t.Fatalf("quote %+v", q)
			}
			if q.PointsToEarn != 100 { // 10% of 1,000.00: points pay nothing towards what an order earns
				t.Fatalf("points to earn %d", q.PointsToEarn)
			}
			if (c.reason == "") != (len(q.Reasons) == 0) || (c.reason != "" && q.Reasons[0] != c.reason) {
				t.Fatalf("reasons %q, want %q", q.Reasons, c.reason)
			}
		})
	}
	t.Run("negative", func(t *testing.T) {
		_, err := Quote(p, ProgramState{}, dealer("org-1"), Cart{Currency: "EUR", Lines: lines, PointsToSpend: -1}, t0)
		if fieldErrors(t, err)["points_to_spend"] != "negative" {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("without points payment", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, PercentBP: 1000}}}}})
		q, err := Quote(p, ProgramState{}, dealer("org-1"), Cart{Currency: "EUR", Lines: lines, PointsToSpend: 100, Balance: 1000}, t0)
		if err != nil || q.PointsUsed != 0 || q.Total != 100000 || !reflect.DeepEqual(q.Reasons, []string{"this program does not let points pay for orders"}) {
			t.Fatalf("%+v %v", q, err)
		}
	})
	t.Run("after the tier discount", func(t *testing.T) {
		p := compileDef(t, Definition{PointsPayment: &PointsPayment{MaxShareBP: 3000},
			Tiers: &Tiers{Metric: "spend", Window: "lifetime", Review: "year", Levels: []Level{{Code: "base"}, {Code: "gold", Name: "Gold", Threshold: 1, DiscountBP: 1000}}}})
		part := dealer("org-1")
		part.OrgState.Tier = "gold"
		q, err := Quote(p, ProgramState{}, part, Cart{Currency: "EUR", Lines: lines, PointsToSpend: 1000, Balance: 1000}, t0)
		if err != nil {
			t.Fatal(err)
		}
		// 10% off 1,000.00 leaves 900.00; 30% of it is 270 points.
		if q.Discount != 10000 || q.PointsUsed != 270 || q.Total != 63000 || q.Tier != "gold" {
			t.Fatalf("quote %+v", q)
		}
		if len(q.Applied) != 1 || !strings.HasPrefix(q.Applied[0].DiscountID, "tier:") {
			t.Fatalf("applied %+v", q.Applied)
		}
	})
	t.Run("an order over the cap is refused", func(t *testing.T) {
		order := invoice("ORD-1", t0, ln("A", "tools", 2, 30000), ln("B", "paint", 4, 10000))
		order.Type, order.PointsSpent = Order, 301
		if _, err := Evaluate(p, ProgramState{}, dealer("org-1"), order); fieldErrors(t, err)["points_spent"] != "over_cap" {
			t.Fatalf("error %v", err)
		}
		order.PointsSpent = 300
		if _, err := Evaluate(p, ProgramState{}, dealer("org-1"), order); err != nil {
			t.Fatal(err)
		}
	})
}
