package pricing_test

import (
	"math"
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// fields returns the field paths named by an errs.Invalid error, failing
// the test on any other error.
func fields(t *testing.T, err error) []string {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid {
		t.Fatalf("got %v, want an errs.Invalid error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidate(t *testing.T) {
	steps := []pricing.Step{{From: 10, PercentBP: 500}, {From: 20, PercentBP: 700}}
	cases := []struct {
		name string
		d    pricing.Discount
		want []string // wrong fields; nil = valid
	}{
		{"percent", pricing.Discount{ID: "a", Kind: pricing.KindPercent, PercentBP: 500}, nil},
		{"threshold", pricing.Discount{ID: "a", Kind: pricing.KindOrderThreshold, Steps: steps}, nil},
		{"brackets", pricing.Discount{ID: "a", Kind: pricing.KindQuantityBrackets, Steps: steps}, nil},
		{"nth", pricing.Discount{ID: "a", Kind: pricing.KindNthItem, N: 3, PercentBP: 10000}, nil},
		{"no id, no kind", pricing.Discount{}, []string{"id", "kind"}},
		{"unknown kind", pricing.Discount{ID: "a", Kind: "bogo"}, []string{"kind"}},
		{"percent above 100%", pricing.Discount{ID: "a", Kind: pricing.KindPercent, PercentBP: 10001}, []string{"percent_bp"}},
		{"negative percent", pricing.Discount{ID: "a", Kind: pricing.KindNthItem, N: 2, PercentBP: -1}, []string{"percent_bp"}},
		{"n below 2", pricing.Discount{ID: "a", Kind: pricing.KindNthItem, N: 1, PercentBP: 5000}, []string{"n"}},
		{"no steps", pricing.Discount{ID: "a", Kind: pricing.KindOrderThreshold}, []string{"steps"}},
		{"steps not ascending", pricing.Discount{ID: "a", Kind: pricing.KindQuantityBrackets,
			Steps: []pricing.Step{{From: 10}, {From: 10}, {From: 5}}}, []string{"steps[1].from", "steps[2].from"}},
		{"step from zero, rate too high", pricing.Discount{ID: "a", Kind: pricing.KindOrderThreshold,
			Steps: []pricing.Step{{From: 0, PercentBP: 20000}}}, []string{"steps[0].from", "steps[0].percent_bp"}},
		// Fields a kind does not use are ignored (the engine keeps the steps
		// of a cumulative discount resolved to a percent).
		{"steps on a percent", pricing.Discount{ID: "a", Kind: pricing.KindPercent, PercentBP: 700, Steps: steps, N: 2}, nil},
		{"negative minimum", pricing.Discount{ID: "a", Kind: pricing.KindPercent, MinOrder: -1}, []string{"min_order"}},
		{"empty scope name", pricing.Discount{ID: "a", Kind: pricing.KindPercent,
			Scope: pricing.Scope{Categories: []string{"x", ""}}}, []string{"scope.categories[1]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := pricing.Validate(tc.d)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if got := fields(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("fields %v, want %v (%v)", got, tc.want, err)
			}
		})
	}
}

func TestPriceInputErrors(t *testing.T) {
	ok := []pricing.Line{{Ref: "a", SKU: "A", Qty: 1, UnitPrice: 100}}
	pct := pricing.Discount{ID: "p", Kind: pricing.KindPercent, PercentBP: 500}
	cases := []struct {
		name   string
		lines  []pricing.Line
		ds     []pricing.Discount
		policy pricing.Policy
		ctx    pricing.Context
		dec    int
		want   []string
	}{
		{"bad lines", []pricing.Line{ok[0], {Qty: 0, UnitPrice: 1}, {Qty: 1, UnitPrice: -1}}, nil, pricing.Additive, pricing.Context{}, 2,
			[]string{"lines[1].qty", "lines[2].unit_price"}},
		{"qty × price overflows", []pricing.Line{{Qty: math.MaxInt64 / 2, UnitPrice: 3}}, nil, pricing.Additive, pricing.Context{}, 2,
			[]string{"lines[0].qty"}},
		{"cart total overflows", []pricing.Line{{Qty: 1, UnitPrice: math.MaxInt64}, {Qty: 1, UnitPrice: 1}}, nil, pricing.Additive, pricing.Context{}, 2,
			[]string{"lines[1].qty"}},
		{"bad discount", ok, []pricing.Discount{pct, {ID: "q", Kind: pricing.KindPercent, PercentBP: 10001}}, pricing.Additive, pricing.Context{}, 2,
			[]string{"discounts[1].percent_bp"}},
		{"duplicate id", ok, []pricing.Discount{pct, pct}, pricing.Additive, pricing.Context{}, 2, []string{"discounts[1].id"}},
		{"unknown policy, bad decimals", ok, nil, "cheapest", pricing.Context{}, 9, []string{"policy", "currency_decimals"}},
		{"negative prior quantities", ok, nil, pricing.BestOf, pricing.Context{PriorQty: map[string]int64{"c": -1, "b": -1, "a": 0}}, 2,
			[]string{"context.prior_qty[b]", "context.prior_qty[c]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pricing.Price(tc.lines, tc.ds, tc.policy, tc.ctx, tc.dec)
			if got := fields(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("fields %v, want %v (%v)", got, tc.want, err)
			}
		})
	}
}

// Zero-price lines are allowed; counting their units must not overflow.
func TestZeroPriceLines(t *testing.T) {
	lines := []pricing.Line{{Ref: "free", SKU: "F", Qty: 3, UnitPrice: 0}}
	r := price(t, lines, []pricing.Discount{brackets}, pricing.Additive, pricing.Context{})
	if r.Subtotal != 0 || r.Total != 0 || len(r.Refused) != 1 {
		t.Fatalf("got %+v, want an empty priced cart with the discount refused", r)
	}
	huge := []pricing.Line{{Qty: math.MaxInt64, UnitPrice: 0}, {Qty: 1, UnitPrice: 0}}
	_, err := pricing.Price(huge, []pricing.Discount{brackets}, pricing.Additive, pricing.Context{}, 2)
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("got %v, want errs.Invalid for an uncountable quantity", err)
	}
}
