package engine

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// fuzzSeeds are realistic definitions; the fuzzer mutates them. The
// files under testdata/fuzz/FuzzCompileDefinition are kept seeds too.
var fuzzSeeds = []string{
	`{"currency":"EUR","point_type_id":"pt","rules":[{"id":"cashback","effects":[{"type":"earn","percent_bp":2000}]}]}`,
	`{"currency":"EUR","point_type_id":"pt","beneficiary":"both","employees":{"excluded_roles":["accountant"],"cap_points":150,"cap_period":"month"},
	  "rules":[{"id":"r","condition":"member.present && member.role == \"sales\"","effects":[{"type":"earn","fixed":100,"to":"member"}],
	  "caps":[{"per":"member","period":"day","points":150},{"per":"rule","period":"lifetime","points":1000}]}],"budget":5000}`,
	`{"currency":"EUR","point_type_id":"pt","period_bonus":{"steps":[{"from":0,"percent_bp":300},{"from":100000,"percent_bp":1000},{"from":150000,"percent_bp":1500}]}}`,
	`{"currency":"EUR","stamps":{"lines":"line.category == \"shoes\"","per_unit":true,"needed":10,"reward":{"type":"reward","reward_id":"pair"}},
	  "return_undo":{"stamps":true,"tier":true}}`,
	`{"currency":"EUR","point_type_id":"pt","points_payment":{"max_share_bp":3000},"stacking":"additive",
	  "discounts":[{"id":"card","kind":"card","percent_bp":500,"entry_threshold":150000,"scope":{"exclude_on_sale":true}},
	   {"id":"cum","kind":"cumulative","basis":"lifetime","step_down_days":90,"steps":[{"from":100000,"percent_bp":300},{"from":500000,"percent_bp":700}]},
	   {"id":"packs","kind":"quantity_brackets","steps":[{"from":1,"percent_bp":0},{"from":101,"percent_bp":500}]},
	   {"id":"big","kind":"order_threshold","steps":[{"from":1000000,"percent_bp":500},{"from":2000000,"percent_bp":1000}]}]}`,
	`{"currency":"EUR","point_type_id":"pt","tiers":{"metric":"orders","window":"previous_month","review":"month","grace_periods":2,
	  "levels":[{"code":"base"},{"code":"silver","threshold":3,"earn_multiplier_bp":15000,"discount_bp":200}]},
	  "rules":[{"events":["invoice","custom:visit"],"effects":[{"type":"earn","per_amount":{"points":1,"per":100}},{"type":"multiply","factor_bp":20000},
	  {"type":"counter","counter":"visits","value":"event.quantity"},{"type":"coupon","reward_id":"c1"},{"type":"message","template":"hi"}],"stop":true}]}`,
	`{"currency":"EUR","point_type_id":"pt","rules":[{"effects":[{"type":"earn","points":"line.qty * 9223372036854775807","lines":"true"}]}]}`,
	`{"currency":"eur","rules":[{"effects":[{"type":"bogus"}]}],"tiers":{"levels":[{"code":"a","threshold":5}]}}`,
	`{"currency":"EUR","stamps":{"needed":0,"reward":{"type":"earn"}}}`,
}

// fuzzEvent is a sample purchase the compiled programs evaluate.
func fuzzEvent() *Event {
	ev := invoice("INV-1", t0, ln("S-1", "shoes", 3, 5000), Line{SKU: "T-1", Category: "tools", Qty: 2, UnitPrice: 12_345, Amount: 24_690, OnSale: true},
		ln("F-1", "fasteners", 150, 10))
	ev.Attributes = map[string]string{"channel": "web"}
	return ev
}

// FuzzCompileDefinition decodes arbitrary bytes as a definition and
// compiles it: nothing may panic, every refusal is an Invalid error, and a
// program that compiles evaluates, quotes and reviews a sample without
// panicking or looping.
func FuzzCompileDefinition(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if raw, err := os.ReadFile(benchDefinitionFile); err == nil {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var def Definition
		if err := json.Unmarshal(data, &def); err != nil {
			return
		}
		p, err := Compile("p", 1, t0.AddDate(-1, 0, 0), def, eur)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("compile error of kind %v: %v", errs.KindOf(err), err)
			}
			return
		}
		part := withMember(dealer("org-1"), "m-1", "sales", true)
		part.OrgState.Counters = map[string]int64{"visits": 3}
		part.OrgState.Months = monthsOf(map[string]Month{"2026-10": {Spend: 500_000, Quantity: 10, Orders: 3}})
		ev := fuzzEvent()
		out, err := Evaluate(p, ProgramState{}, part, ev)
		if err != nil {
			return // a rule may fail on this event (overflow, a bad key): that is an error, not a panic
		}
		for _, x := range out.Earns {
			if x.Points < 0 {
				t.Fatalf("negative earn %+v", x)
			}
		}
		part.OrgState, part.MemberState = out.OrgState, out.MemberState
		if _, err := Review(p, ProgramState{}, part, t0.AddDate(0, 1, 0)); err != nil && !errs.Is(err, errs.Invalid) {
			t.Logf("review: %v", err)
		}
		_, _ = Quote(p, out.ProgramState, part, Cart{Currency: "EUR", Lines: ev.Lines, PointsToSpend: 100, Balance: 1000}, t0.Add(time.Hour))
		ret := &Event{Type: Return, Currency: "EUR", OccurredAt: t0.Add(time.Hour), Lines: []Line{{SKU: "S-1", Qty: 1}}}
		_, _ = EvaluateReturn(p, part, ret, &Original{Event: *ev, Earned: out.Earns, Stamps: 3})
		_ = Status(p, part.OrgState, t0)
	})
}
