package engine

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// benchDefinitionFile is a realistic program: ten active rules
// (conditions on the amount, the organization's type, tags and figures,
// line categories; per-line earn, a multiply, a cap), three tiers and a
// stamp card. BenchmarkEvaluate runs it here, BenchmarkIngestBatch in
// internal/events runs the same file through storage.
const benchDefinitionFile = "testdata/bench_program.json"

// benchProgram compiles the bench definition.
func benchProgram(tb testing.TB) *Program {
	tb.Helper()
	raw, err := os.ReadFile(benchDefinitionFile)
	if err != nil {
		tb.Fatal(err)
	}
	var def Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		tb.Fatal(err)
	}
	return compileDef(tb, def)
}

// benchParticipants are n organizations with a year of history: monthly
// totals, counters, a tier.
func benchParticipants(n int) []Participant {
	out := make([]Participant, n)
	types := []string{"dealer", "installer", "distributor"}
	for i := range out {
		enrolled := t0.AddDate(-2, 0, 0)
		st := State{EnrolledAt: &enrolled, Tier: []string{"base", "silver", "gold"}[i%3], Months: Months{},
			Counters: map[string]int64{"orders": int64(i % 40)}}
		for m := range 14 {
			mo := st.Months.at(monthOf(t0.AddDate(0, -m, 0)))
			*mo = Month{Spend: int64(50_000 + 1_000*((i+m)%97)), Quantity: 20, Orders: 2, Points: 300}
			st.Lifetime.Spend += mo.Spend
			st.Lifetime.Orders += 2
		}
		var tags []string
		if i%4 == 0 {
			tags = []string{"vip"}
		}
		out[i] = Participant{Org: Org{ID: fmt.Sprintf("org-%d", i), Type: types[i%3], Region: []string{"north", "south"}[i%2], Tags: tags}, OrgState: st}
	}
	return out
}

// benchEvents are n invoices of three lines with varied amounts.
func benchEvents(n int) []*Event {
	out := make([]*Event, n)
	for i := range out {
		q := int64(1 + i%7)
		out[i] = invoice(fmt.Sprintf("INV-%d", i), t0.Add(time.Duration(i)*time.Second),
			ln(fmt.Sprintf("T-%d", i%50), "tools", q, 4500),
			Line{SKU: fmt.Sprintf("P-%d", i%30), Category: "paint", Qty: 3, UnitPrice: 2500 + int64(i%11)*1000, Amount: 3 * (2500 + int64(i%11)*1000), OnSale: i%5 == 0},
			ln("F-1", "fasteners", 10*q, 150))
	}
	return out
}

// BenchmarkEvaluate evaluates three-line invoices against the ten-rule
// program, each organization's state carried from event to event as
// ingestion does. Target: 200,000 events/s on one core.
//
//	go test -run '^$' -bench Evaluate -benchmem -cpu 1 ./internal/engine/
func BenchmarkEvaluate(b *testing.B) {
	p := benchProgram(b)
	parts := benchParticipants(1000)
	evs := benchEvents(4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		part := &parts[i%len(parts)]
		out, err := Evaluate(p, ProgramState{}, *part, evs[i%len(evs)])
		if err != nil {
			b.Fatal(err)
		}
		part.OrgState = out.OrgState
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
