package engine

import (
	"reflect"
	"testing"
	"time"
)

// returnOf is a return of lines of invoice INV-1.
func returnOf(ext string, at time.Time, lines ...Line) *Event {
	return &Event{ID: "ev-" + ext, Type: Return, Source: "erp", ExternalID: ext, Original: "INV-1", OccurredAt: at, Currency: "EUR", Lines: lines}
}

// TestReturnsClawBackProportionally: points are taken back on the
// cumulative returned share, so partial returns that add up to the whole
// invoice take back exactly what it earned.
func TestReturnsClawBackProportionally(t *testing.T) {
	p := compileDef(t, Definition{})
	inv := invoice("INV-1", t0, ln("A", "tools", 3, 10000), ln("B", "paint", 1, 3333)) // 333.33
	earned := []Earn{{Owner: OwnerOrganization, OwnerID: "org-1", Points: 100}, {Owner: OwnerMember, OwnerID: "m-1", Points: 37}}
	cases := []struct {
		name    string
		returns [][]Line
		claws   [][]int64 // per return, per earn
	}{
		{"one unit then the rest", [][]Line{
			{ln("A", "", 1, 0)},
			{ln("A", "", 2, 0), ln("B", "", 1, 0)},
		}, [][]int64{{30, 11}, {70, 26}}},
		{"unit by unit", [][]Line{
			{ln("A", "", 1, 0)}, {ln("A", "", 1, 0)}, {ln("B", "", 1, 0)}, {ln("A", "", 1, 0)},
		}, [][]int64{{30, 11}, {30, 11}, {9, 3}, {31, 12}}},
		{"the cheap line first", [][]Line{
			{ln("B", "", 1, 0)},
			{ln("A", "", 3, 0)},
		}, [][]int64{{9, 3}, {91, 34}}},
		{"all at once", [][]Line{
			{ln("B", "", 1, 0), ln("A", "", 3, 0)},
		}, [][]int64{{100, 37}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orig := &Original{Event: *inv, Earned: earned}
			total := []int64{0, 0}
			for i, lines := range c.returns {
				res, err := EvaluateReturn(p, dealer("org-1"), returnOf("CN", t0.Add(time.Hour), lines...), orig)
				if err != nil {
					t.Fatalf("return %d: %v", i, err)
				}
				got := make([]int64, 2)
				for _, cl := range res.Claws {
					got[cl.Index] = cl.Points
					total[cl.Index] += cl.Points
					if cl.Owner != earned[cl.Index].Owner || cl.OwnerID != earned[cl.Index].OwnerID {
						t.Fatalf("claw %+v from the wrong wallet", cl)
					}
				}
				if !reflect.DeepEqual(got, c.claws[i]) {
					t.Fatalf("return %d clawed %v, want %v", i, got, c.claws[i])
				}
				orig.Returned, orig.Clawed = res.Returned, res.Clawed
			}
			if !reflect.DeepEqual(total, []int64{100, 37}) || !reflect.DeepEqual(orig.Returned, []int64{3, 1}) {
				t.Fatalf("clawed %v in all (returned %v), want all of [100 37]", total, orig.Returned)
			}
		})
	}
}

// TestReturnReasonAndTier: the outcome says what share was returned; with
// tier undo the returned amount leaves the original's month.
func TestReturnReasonAndTier(t *testing.T) {
	p := compileDef(t, Definition{ReturnUndo: ReturnUndo{Tier: true}})
	inv := invoice("INV-1", time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), ln("A", "tools", 4, 2500))
	part := dealer("org-1")
	part.OrgState.Months = monthsOf(map[string]Month{"2026-10": {Spend: 10000, Quantity: 4, Orders: 1, Points: 10}})
	part.OrgState.Lifetime = Month{Spend: 10000, Quantity: 4, Orders: 1, Points: 10}
	res, err := EvaluateReturn(p, part, returnOf("CN-1", t0, ln("A", "", 1, 0)), &Original{Event: *inv,
		Earned: []Earn{{Owner: OwnerOrganization, OwnerID: "org-1", Points: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "return of 25.00 of invoice INV-1 (25.0%)" || len(res.Claws) != 1 || res.Claws[0].Points != 2 {
		t.Fatalf("reason %q claws %+v", res.Reason, res.Claws)
	}
	if m, _ := res.OrgState.Months.Get("2026-10"); m != (Month{Spend: 7500, Quantity: 3, Orders: 1, Points: 8}) {
		t.Fatalf("October after the return %+v", m)
	}
	if m, _ := part.OrgState.Months.Get("2026-10"); m.Spend != 10000 {
		t.Fatal("EvaluateReturn changed its input state")
	}
}

// TestReturnErrors: a return cannot exceed the original or name another SKU.
func TestReturnErrors(t *testing.T) {
	p := compileDef(t, Definition{})
	inv := invoice("INV-1", t0, ln("A", "tools", 3, 10000), ln("B", "paint", 1, 3333))
	orig := &Original{Event: *inv, Returned: []int64{1, 0}, Earned: []Earn{{Owner: OwnerOrganization, OwnerID: "org-1", Points: 100}}, Clawed: []int64{30}}
	cases := []struct {
		name  string
		ev    *Event
		field string
		code  string
		msg   string
	}{
		{"more than left", returnOf("CN", t0, ln("A", "", 3, 0)), "lines[0].qty", "exceeds_original",
			`returning 3 of SKU "A" would exceed the 3 units on invoice INV-1 (1 already returned)`},
		{"same SKU twice", returnOf("CN", t0, ln("A", "", 1, 0), ln("A", "", 2, 0)), "lines[1].qty", "exceeds_original", ""},
		{"other SKU", returnOf("CN", t0, ln("Z", "", 1, 0)), "lines[0].sku", "not_on_invoice", ""},
		{"no lines", returnOf("CN", t0), "lines", "required", ""},
		{"other currency", &Event{Type: Return, Currency: "USD", Lines: []Line{ln("A", "", 1, 0)}}, "currency", "currency_mismatch", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := EvaluateReturn(p, dealer("org-1"), c.ev, orig)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := fieldErrors(t, err); got[c.field] != c.code {
				t.Fatalf("error %v, want %s on %s", err, c.code, c.field)
			}
			if c.msg != "" && fieldMessage(err, c.field) != c.msg {
				t.Fatalf("message %q, want %q", fieldMessage(err, c.field), c.msg)
			}
		})
	}
	// A first return may leave Returned and Clawed empty.
	res, err := EvaluateReturn(p, dealer("org-1"), returnOf("CN", t0, ln("B", "", 1, 0)), &Original{Event: *inv,
		Earned: []Earn{{Owner: OwnerOrganization, OwnerID: "org-1", Points: 100}}})
	if err != nil || !reflect.DeepEqual(res.Returned, []int64{0, 1}) || !reflect.DeepEqual(res.Clawed, []int64{9}) {
		t.Fatalf("first return without history: %+v, %v", res, err)
	}
	// A return evaluated as an ordinary event is refused.
	if _, err := Evaluate(p, ProgramState{}, dealer("org-1"), returnOf("CN", t0, ln("A", "", 1, 0))); err == nil {
		t.Fatal("Evaluate accepted a return")
	}
}

// TestReturnStamps: with stamp undo a return takes back the returned
// share of the stamps the invoice added, as far as the card still has them.
func TestReturnStamps(t *testing.T) {
	p := compileDef(t, Definition{ReturnUndo: ReturnUndo{Stamps: true}, Stamps: &StampCard{PerUnit: true, Needed: 10,
		Reward: Effect{Type: EffectCoupon, RewardID: "c"}}})
	inv := invoice("INV-1", t0, ln("A", "tools", 4, 1000))
	part := dealer("org-1")
	part.OrgState.Stamps = 1
	res, err := EvaluateReturn(p, part, returnOf("CN", t0, ln("A", "", 2, 0)), &Original{Event: *inv, Stamps: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reclaim != 2 || res.OrgState.Stamps != 0 || *res.Stamps != (Stamps{Added: -1, Total: 0}) {
		t.Fatalf("reclaim %d stamps %d %+v", res.Reclaim, res.OrgState.Stamps, res.Stamps)
	}
	if !reflect.DeepEqual(res.Notes, []string{"1 stamps were already turned into a reward and stay with it"}) {
		t.Fatalf("notes %q", res.Notes)
	}
}
