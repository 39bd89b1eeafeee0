package rules

import (
	"fmt"
	"strings"
	"testing"
)

// TestSessionSameAsCalls: expressions evaluated in one session, over
// changing variables and interleaved with failing ones, give what each
// call alone gives, value and error alike.
func TestSessionSameAsCalls(t *testing.T) {
	big := sampleVars()
	for i := range 1000 {
		big.Event.Lines = append(big.Event.Lines, Line{SKU: fmt.Sprint("S", i), Brand: "b"})
	}
	exprs := []struct {
		src       string
		kind      Kind
		lineScope bool
	}{
		{`event.amount >= 100000 && org.type == "dealer"`, Condition, false},
		{`"north" in org.tags && org.counters["orders_q"] > 2 && member.present`, Condition, false},
		{`line.category == "oil" && !line.on_sale`, Condition, true},
		{`event.lines.filter(l, l.brand == "acme").size() * 100`, Amount, false},
		{`line.qty * 2 + (has(org.counters.orders_q) ? org.counters.orders_q : 0)`, Amount, true},
		{`event.amount / (org.counters["returns"])`, Amount, false},
		{`org.counters["missing"] > 0`, Condition, false},
		{`event.lines.exists(a, event.lines.exists(b, a.sku == b.sku && a.brand != b.brand))`, Condition, false},
		{`1`, Amount, false},      // Bool on it fails
		{`true`, Condition, true}, // Int on it fails
	}
	plain, lines := sampleVars(), sampleVars()
	var s Session
	for round := range 3 {
		for _, x := range exprs {
			e := mustCompile(t, x.src, x.kind, x.lineScope)
			for _, v := range []*Vars{plain, big, nil} {
				if x.lineScope && v != nil {
					lines.Line = &v.Event.Lines[round%len(v.Event.Lines)]
					v = lines
				}
				if got, want := sessionResult(e, &s, v), sessionResult(e, nil, v); got != want {
					t.Errorf("%s, round %d: in a session %s, alone %s", x.src, round, got, want)
				}
			}
		}
	}
	if s.frame != nil && s.frame.Scope() != nil {
		t.Error("the session keeps the last variables")
	}
}

// sessionResult is what BoolIn and IntIn say, as text.
func sessionResult(e *Expr, s *Session, v *Vars) string {
	b, errB := e.BoolIn(s, v)
	n, errI := e.IntIn(s, v)
	return fmt.Sprintf("%v %v / %v %v", b, errB, n, errI)
}

// TestSessionCostPerEvaluation: the cost limit counts per evaluation, not
// per session, however many costly evaluations a session runs.
func TestSessionCostPerEvaluation(t *testing.T) {
	v := sampleVars()
	for i := range 3000 {
		v.Event.Lines = append(v.Event.Lines, Line{SKU: strings.Repeat("x", i%5), Brand: "b"})
	}
	e := mustCompile(t, `event.lines.filter(l, l.brand == "b" && l.sku != "").size()`, Amount, false)
	var s Session
	for i := range 40 {
		if _, err := e.IntIn(&s, v); err != nil {
			t.Fatalf("evaluation %d: %v", i, err)
		}
	}
}
