package events

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// fuzzNow is the clock of the fuzz and check tests.
var fuzzNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// eventSeeds are realistic inputs; the fuzzer mutates them. The files
// under testdata/fuzz/FuzzDecodeEvent are kept seeds too.
var eventSeeds = []string{
	`{"type":"invoice","source":"erp","external_id":"INV-1","occurred_at":"2026-11-20T10:00:00Z","organization":"ext:R-1","currency":"EUR",
	  "lines":[{"sku":"A","category":"tools","qty":2,"unit_price":12500},{"sku":"B","qty":1,"unit_price":5000,"on_sale":true}]}`,
	`{"type":"return","source":"erp","external_id":"CN-1","original":"INV-1","occurred_at":"2026-11-21T10:00:00+01:00","organization":"ext:R-1","currency":"eur",
	  "lines":[{"sku":"A","qty":1}]}`,
	`{"type":"order","source":"shop","external_id":"O-9","occurred_at":"2026-11-23T11:59:59.999999999Z","organization":"0193e","member":"m-1","currency":" EUR ",
	  "points_spent":300,"lines":[{"sku":"X","qty":1000000000,"unit_price":9223372036}]}`,
	`{"type":"training","source":"lms","external_id":"T-1","occurred_at":"2026-11-24T11:00:00Z","organization":"o","attributes":{"course":"safety"}}`,
	`{"type":"custom:visit","source":"pos","external_id":"V-1","occurred_at":"2000-01-01T00:30:00+01:00","organization":"o"}`,
	`{"type":"claim","source":"portal","external_id":"C-1","occurred_at":"2026-11-01T00:00:00Z","organization":"ext:R-2","currency":"EUR",
	  "new_organization":{"name":"New Co","type":"installer"},"lines":[{"sku":"P","qty":3,"unit_price":1000000000000,"cost":-1}]}`,
	`{"type":"invoice","source":"erp","external_id":"INV-2","occurred_at":"2026-11-20T10:00:00Z","organization":"o","currency":"EUR","lines":[{"sku":"A","qty":0,"unit_price":-5}]}`,
	`{}`,
	`[1,2,3]`,
}

// FuzzDecodeEvent decodes arbitrary bytes as an event input and checks
// it: check never panics, refuses only with Invalid field errors, and
// whatever it accepts is a sound event for the engine.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range eventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		if err := json.Unmarshal(data, &in); err != nil {
			return
		}
		ev, err := check(in, fuzzNow)
		if err != nil {
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid || len(e.Fields) == 0 {
				t.Fatalf("check refused with %v", err)
			}
			return
		}
		checkInvariants(t, in, ev)
	})
}

// checkInvariants are what an accepted event guarantees the engine.
func checkInvariants(t *testing.T, in Input, ev engine.Event) {
	t.Helper()
	if ev.OccurredAt.After(fuzzNow.Add(24*time.Hour)) || ev.OccurredAt.IsZero() || ev.OccurredAt.Year() < 2000 || ev.OccurredAt.Location() != time.UTC {
		t.Fatalf("accepted occurred_at %v (now %v)", ev.OccurredAt, fuzzNow)
	}
	if !slices.Contains(engine.EventTypes, ev.Type) && !strings.HasPrefix(ev.Type, "custom:") {
		t.Fatalf("accepted type %q", ev.Type)
	}
	if ev.Source == "" || ev.ExternalID == "" {
		t.Fatalf("accepted without source or external id: %+v", ev)
	}
	if len(ev.Lines) != len(in.Lines) {
		t.Fatalf("%d lines became %d", len(in.Lines), len(ev.Lines))
	}
	var total uint64
	for i, l := range ev.Lines {
		if l.Qty <= 0 {
			t.Fatalf("line %d: accepted qty %d", i, l.Qty)
		}
		if l.UnitPrice < 0 || (l.UnitPrice == 0 && ev.Type != engine.Return) {
			t.Fatalf("line %d: accepted unit price %d on a %s", i, l.UnitPrice, ev.Type)
		}
		hi, lo := bits.Mul64(uint64(l.Qty), uint64(l.UnitPrice))
		if hi != 0 || lo > math.MaxInt64 || l.Amount < 0 || uint64(l.Amount) != lo {
			t.Fatalf("line %d: amount %d is not qty %d × unit price %d", i, l.Amount, l.Qty, l.UnitPrice)
		}
		var carry uint64
		if total, carry = bits.Add64(total, lo, 0); carry != 0 || total > uint64(money.MaxAmount) {
			t.Fatalf("the lines' total exceeds %d at line %d", money.MaxAmount, i)
		}
		if c := uint64(l.Cost) * uint64(l.Qty); l.Cost < 0 || l.Cost > money.MaxUnitPrice || c > uint64(money.MaxAmount) {
			t.Fatalf("line %d: accepted cost %d × %d", i, l.Cost, l.Qty)
		}
	}
	if engine.Purchase(ev.Type) || ev.Type == engine.Return {
		if len(ev.Lines) == 0 || len(ev.Currency) != 3 || strings.ToUpper(ev.Currency) != ev.Currency {
			t.Fatalf("accepted a %s with %d lines in %q", ev.Type, len(ev.Lines), ev.Currency)
		}
	}
	if ev.PointsSpent < 0 || ev.PointsSpent > money.MaxAmount {
		t.Fatalf("accepted points_spent %d", ev.PointsSpent)
	}
}

// maximal is n lines whose amounts add up to money.MaxAmount (n > 1: more),
// each with the given unit cost.
func maximal(n int, cost int64) []LineInput {
	ls := make([]LineInput, n)
	for i := range ls {
		ls[i] = LineInput{SKU: "A", Qty: money.MaxQuantity / int64(min(n, MaxLines)), UnitPrice: money.MaxAmount / money.MaxQuantity, Cost: cost}
	}
	if n == 2 {
		ls[0].Qty, ls[1].Qty = money.MaxQuantity, 1
	}
	return ls
}

// TestCheck: table of inputs and what check says.
func TestCheck(t *testing.T) {
	base := func() Input {
		return Input{Type: engine.Invoice, Source: "erp", ExternalID: "INV-1", OccurredAt: fuzzNow.Add(-time.Hour), Organization: "ext:R-1", Currency: "eur",
			Lines: []LineInput{{SKU: "A", Qty: 2, UnitPrice: 12500}}}
	}
	cases := []struct {
		name   string
		change func(*Input)
		field  string // "" = accepted
		code   string
	}{
		{"valid", func(*Input) {}, "", ""},
		{"a day ahead is accepted", func(in *Input) { in.OccurredAt = fuzzNow.Add(24 * time.Hour) }, "", ""},
		{"more than a day ahead", func(in *Input) { in.OccurredAt = fuzzNow.Add(24*time.Hour + time.Millisecond) }, "occurred_at", "in_the_future"},
		{"no time", func(in *Input) { in.OccurredAt = time.Time{} }, "occurred_at", "required"},
		{"before 2000 in UTC", func(in *Input) { in.OccurredAt = time.Date(2000, 1, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)) }, "occurred_at", "too_old"},
		{"unknown type", func(in *Input) { in.Type = "sale" }, "type", "unknown_event_type"},
		{"custom type", func(in *Input) { in.Type, in.Lines, in.Currency = "custom:visit", nil, "" }, "", ""},
		{"no lines", func(in *Input) { in.Lines = nil }, "lines", "required"},
		{"bad currency", func(in *Input) { in.Currency = "EURO" }, "currency", "invalid_currency"},
		{"zero qty", func(in *Input) { in.Lines[0].Qty = 0 }, "lines[0].qty", "not_positive"},
		{"huge qty", func(in *Input) { in.Lines[0].Qty = money.MaxQuantity + 1 }, "lines[0].qty", "too_large"},
		{"free line", func(in *Input) { in.Lines[0].UnitPrice = 0 }, "lines[0].unit_price", "not_positive"},
		{"price too large", func(in *Input) { in.Lines[0].UnitPrice = money.MaxUnitPrice + 1 }, "lines[0].unit_price", "out_of_range"},
		{"line amount too large", func(in *Input) { in.Lines[0].Qty, in.Lines[0].UnitPrice = money.MaxQuantity, money.MaxUnitPrice }, "lines[0].qty", "too_large"},
		{"largest line", func(in *Input) {
			in.Lines[0].Qty, in.Lines[0].UnitPrice = money.MaxQuantity, money.MaxAmount/money.MaxQuantity
		}, "", ""},
		{"largest lines do not add up", func(in *Input) { in.Lines = maximal(2, 0) }, "lines", "total_too_large"},
		{"largest total", func(in *Input) { in.Lines = maximal(MaxLines, 0) }, "", ""},
		{"cost above int64 per line", func(in *Input) { in.Lines[0].Cost = math.MaxInt64 }, "lines[0].cost", "out_of_range"},
		{"negative cost", func(in *Input) { in.Lines[0].Cost = -1 }, "lines[0].cost", "out_of_range"},
		{"line cost too large", func(in *Input) {
			in.Lines[0].Qty, in.Lines[0].UnitPrice, in.Lines[0].Cost = money.MaxQuantity, 1, money.MaxUnitPrice
		}, "lines[0].cost", "too_large"},
		{"costs do not add up", func(in *Input) { in.Lines = maximal(2, money.MaxAmount/money.MaxQuantity) }, "lines", "total_too_large"},
		{"bidi override in a category", func(in *Input) { in.Lines[0].Category = "tools\u202e" }, "lines[0].category", "invalid_characters"},
		{"return without price", func(in *Input) { in.Type, in.Original, in.Lines[0].UnitPrice = engine.Return, "INV-0", 0 }, "", ""},
		{"return without original", func(in *Input) { in.Type = engine.Return }, "original", "required"},
		{"negative points", func(in *Input) { in.PointsSpent = -1 }, "points_spent", "out_of_range"},
		{"too many points", func(in *Input) { in.PointsSpent = money.MaxAmount + 1 }, "points_spent", "out_of_range"},
		{"no source", func(in *Input) { in.Source = " " }, "source", "required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.change(&in)
			ev, err := check(in, fuzzNow)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				checkInvariants(t, in, ev)
				return
			}
			e := errs.As(err)
			if e == nil {
				t.Fatalf("accepted %+v", ev)
			}
			for _, f := range e.Fields {
				if f.Field == c.field && f.Code == c.code {
					return
				}
			}
			t.Fatalf("error %v, want %s on %s", err, c.code, c.field)
		})
	}
	ev, err := check(base(), fuzzNow)
	if err != nil || ev.Currency != "EUR" || ev.Lines[0].Amount != 25000 || !ev.OccurredAt.Equal(fuzzNow.Add(-time.Hour)) {
		t.Fatalf("%+v %v", ev, err)
	}
}

// FuzzNormalizeCode: a promo code as typed ("skidka 30", " Spring-30 ")
// normalizes to one stored form: normalizing is idempotent, and a code
// the order check accepts is one letters, digits and underscores only.
func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"skidka 30", " Spring-30 ", "ǅemal", "ß", "ﬁ", "İstanbul", "\u202eSPRING30", "SPRING\u000030", "٣٠", "code_1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		n := NormalizeCode(code)
		if NormalizeCode(n) != n {
			t.Fatalf("NormalizeCode(%q) = %q, and again %q", code, n, NormalizeCode(n))
		}
		var fs errs.Fields
		out := checkCodes(&fs, []string{code, n})
		if fs.Len() == 0 {
			t.Fatalf("%q and its normal form %q are both accepted: a code would be redeemed twice", code, n)
		}
		if len(out) == 1 && (out[0] != n || len(n) > 64 || strings.IndexFunc(n, notCodeRune) >= 0) {
			t.Fatalf("accepted %q as %q", code, out[0])
		}
	})
}
