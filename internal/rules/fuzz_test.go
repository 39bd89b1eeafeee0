package rules

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// seeds are realistic rule expressions; the fuzzer mutates them.
var seeds = []string{
	`event.amount >= 100000 && org.type == "dealer"`,
	`event.type == "purchase" && event.currency == "EUR"`,
	`"north" in org.tags`,
	`org.counters["orders_q"] > 2`,
	`has(org.counters.orders_q) && org.counters.orders_q >= 3`,
	`event.attributes["channel"] == "web"`,
	`"coupon" in event.attributes ? 100 : 0`,
	`member.present && member.tenure_days > 30`,
	`now.getDayOfWeek() in [1, 2, 3, 4, 5]`,
	`now - event.occurred_at < duration("48h")`,
	`event.occurred_at > timestamp("2026-01-01T00:00:00Z")`,
	`event.lines.exists(l, l.category == "tyres" && !l.on_sale)`,
	`event.lines.all(l, l.qty > 0)`,
	`event.lines.filter(l, l.brand == "acme").size() * 50`,
	`event.lines.map(l, l.amount).size()`,
	`event.lines.exists(a, event.lines.exists(b, a.sku != b.sku && a.brand == b.brand))`,
	`event.amount / 100`,
	`event.amount * 5 / 100 + (org.tier == "gold" ? 500 : 0)`,
	`math.least(event.amount / 10, 5000)`,
	`math.greatest(org.spend_this_month - org.spend_last_month, 0) / 1000`,
	`event.amount / 0`,
	`9223372036854775807 + event.amount`,
	`-9223372036854775808 / -1`,
	`event.amount % org.counters["returns"]`,
	`line.amount * 3 / 100`,
	`line.category == "oil" && line.on_sale`,
	`line.qty * (line.unit_price - line.cost) / 100`,
	`org.region.lowerAscii().startsWith("no")`,
	`org.id.split("-").size() == 2`,
	`event.source.matches("^(erp|pos)$")`,
	`"%s-%d".format([org.id, event.amount]) == "org-1-150000"`,
	`org.tags.join(",").contains("vip")`,
	`int(event.attributes["points"]) * 2`,
	`uint(event.amount) > 5u`,
	`double(event.amount) / 3.0 > 1.5`,
	`[1, 2, 3].map(x, x * event.quantity)[2]`,
	`{"a": 1}["a"] + size("héllo")`,
	`event.amount > 1 &&`,
	`event.amout`,
	`((((((((((event.amount))))))))))`,
	`cel.bind(x, event.amount, x * x)`,
	`event.lines[0].amount`,
}

// FuzzCompile compiles arbitrary source as both kinds, with and without
// line scope, and evaluates whatever compiles: nothing may panic, and every
// error a user can cause must be errs.Invalid.
func FuzzCompile(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	v := sampleVars()
	v.Line = &v.Event.Lines[0]
	f.Fuzz(func(t *testing.T, src string) {
		for _, kind := range []Kind{Condition, Amount} {
			for _, lineScope := range []bool{false, true} {
				e, err := Compile(src, kind, lineScope)
				if err != nil {
					mustBeInvalid(t, "Compile", src, err)
					continue
				}
				if _, err := evalAsInt(e, v); err != nil {
					mustBeInvalid(t, "evaluate", src, err)
				}
			}
		}
	})
}

func mustBeInvalid(t *testing.T, op, src string, err error) {
	t.Helper()
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("%s(%q): %v is %v, not invalid", op, src, err, errs.KindOf(err))
	}
}
