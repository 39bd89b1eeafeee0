package engine

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// t0 is a Tuesday in the middle of November 2026.
var t0 = time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)

// eur is a point worth 1.00 (100 minor units), rounded down.
var eur = PointValue{Num: 100, Den: 1, Rounding: money.Floor}

// compileDef compiles a definition in EUR with point type "pt", or stops
// the test.
func compileDef(tb testing.TB, def Definition) *Program {
	tb.Helper()
	if def.Currency == "" {
		def.Currency = "EUR"
	}
	if def.PointTypeID == "" {
		def.PointTypeID = "pt"
	}
	p, err := Compile("prog-1", 1, t0.AddDate(-1, 0, 0), def, eur)
	if err != nil {
		tb.Fatalf("compile: %v", err)
	}
	return p
}

// dealer is an enrolled dealer in the north with an empty state.
func dealer(id string) Participant {
	enrolled := t0.AddDate(-1, 0, 0)
	return Participant{Org: Org{ID: id, Type: "dealer", Region: "north", Tags: []string{"vip"}},
		OrgState: State{EnrolledAt: &enrolled}}
}

// withMember adds a member to a participant.
func withMember(p Participant, id, role string, consent bool) Participant {
	p.Member = &Member{ID: id, Role: role, Since: t0.AddDate(-2, 0, 0), Consent: consent}
	return p
}

// ln is a line whose amount is qty × price.
func ln(sku, category string, qty, price int64) Line {
	return Line{SKU: sku, Category: category, Qty: qty, UnitPrice: price, Amount: qty * price}
}

// invoice is an invoice in EUR at a time.
func invoice(ext string, at time.Time, lines ...Line) *Event {
	return &Event{ID: "ev-" + ext, Type: Invoice, Source: "erp", ExternalID: ext, OccurredAt: at, Currency: "EUR", Lines: lines}
}

// evaluate runs Evaluate or stops the test.
func evaluate(tb testing.TB, p *Program, ps ProgramState, part Participant, ev *Event) Outcome {
	tb.Helper()
	out, err := Evaluate(p, ps, part, ev)
	if err != nil {
		tb.Fatalf("evaluate %s: %v", ev.ExternalID, err)
	}
	return out
}

// earned lists an outcome's earns as owner/points pairs.
type pts struct {
	Owner  string
	Points int64
}

func earned(o Outcome) []pts {
	var out []pts
	for _, e := range o.Earns {
		out = append(out, pts{e.Owner, e.Points})
	}
	return out
}

func wantEarns(tb testing.TB, o Outcome, want ...pts) {
	tb.Helper()
	if got := earned(o); !reflect.DeepEqual(got, want) {
		tb.Fatalf("earns %v, want %v (notes %q, rules %+v)", got, want, o.Notes, o.Rules)
	}
}

func wantNotes(tb testing.TB, o Outcome, want ...string) {
	tb.Helper()
	if !reflect.DeepEqual(o.Notes, want) && !(len(o.Notes) == 0 && len(want) == 0) {
		tb.Fatalf("notes %q, want %q", o.Notes, want)
	}
}

// fieldErrors returns the field → code pairs of an error.
func fieldErrors(tb testing.TB, err error) map[string]string {
	tb.Helper()
	e := errs.As(err)
	if e == nil {
		tb.Fatalf("error %v is not an errs.Error", err)
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Code
	}
	return out
}

// fieldMessage returns the message of one field of an error.
func fieldMessage(err error, field string) string {
	if e := errs.As(err); e != nil {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Message
			}
		}
	}
	return ""
}

// snapshot is a deep copy of a value through JSON, to compare later.
func snapshot(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }

// monthsOf is Months with totals by MonthKey; nil stays nil.
func monthsOf(byKey map[string]Month) Months {
	if byKey == nil {
		return nil
	}
	ms := Months{}
	for k, m := range byKey {
		*ms.at(mustMonthKey(k)) = m
	}
	return ms
}

// mustMonthKey is the month number of a key, which must be one.
func mustMonthKey(k string) int64 {
	n, err := parseMonthKey(k)
	if err != nil {
		panic(err)
	}
	return n
}

// monthsMap is months as the map State.Months was; nil stays nil.
func monthsMap(ms Months) map[string]*Month {
	if ms == nil {
		return nil
	}
	m := make(map[string]*Month, ms.Len())
	for k, mo := range ms.All() {
		m[k] = &mo
	}
	return m
}
