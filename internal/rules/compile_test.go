package rules

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func TestCompileAccepts(t *testing.T) {
	tests := []struct {
		src       string
		kind      Kind
		lineScope bool
	}{
		{`event.amount >= 100000 && org.type == "dealer"`, Condition, false},
		{`"north" in org.tags`, Condition, false},
		{`org.counters["orders_q"] > 2`, Condition, false},
		{`event.attributes["channel"] == "web"`, Condition, false},
		{`member.present && member.role == "buyer"`, Condition, false},
		{`now.getDayOfWeek() == 3 && now - event.occurred_at < duration("24h")`, Condition, false},
		{`event.type.startsWith("pur") && org.region.lowerAscii() == "north"`, Condition, false},
		{`event.lines.exists(l, l.brand == "acme" && !l.on_sale)`, Condition, false},
		{`event.lines.exists(a, event.lines.exists(b, a.sku != b.sku && a.brand == b.brand))`, Condition, false},
		{`event.amount / 100`, Amount, false},
		{`math.least(event.amount * 5 / 100, 5000)`, Amount, false},
		{`org.tier == "gold" ? 500 : 0`, Amount, false},
		{`event.lines.filter(l, l.category == "tyres").size()`, Amount, false},
		{`line.category == "tyres"`, Condition, true},
		{`line.amount * 3 / 100`, Amount, true},
		{`line.qty * (line.unit_price - line.cost) / 100`, Amount, true},
		{"event.amount > 0 &&\n  org.enrolled_days > 30", Condition, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e, err := Compile(tt.src, tt.kind, tt.lineScope)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if e.Source() != tt.src || e.Kind() != tt.kind {
				t.Errorf("Source, Kind = %q, %v; want %q, %v", e.Source(), e.Kind(), tt.src, tt.kind)
			}
		})
	}
}

func TestCompileRejects(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		kind      Kind
		lineScope bool
		want      string         // in the message
		pos       []CompileError // from Positions; nil when the error has none
	}{
		{"unknown field", `event.amout > 1`, Condition, false,
			"condition: line 1, column 6: undefined field 'amout'",
			[]CompileError{{1, 6, "undefined field 'amout'"}}},
		{"unknown field of line", `line.price > 1`, Condition, true,
			"undefined field 'price'", []CompileError{{1, 5, "undefined field 'price'"}}},
		{"unknown variable", `customer.id == "x"`, Condition, false,
			"line 1, column 1: undeclared reference to 'customer'",
			[]CompileError{{1, 1, "undeclared reference to 'customer'"}}},
		{"line outside line scope", `line.amount > 1`, Condition, false,
			"undeclared reference to 'line' (line is only available in per-line expressions)",
			[]CompileError{{1, 1, "undeclared reference to 'line' (line is only available in per-line expressions)"}}},
		{"syntax error", `event.amount >`, Condition, false,
			"line 1, column 15: syntax error: the expression ends too early",
			[]CompileError{{1, 15, "syntax error: the expression ends too early"}}},
		{"unexpected token", `event.amount >= 1 and true`, Condition, false,
			"line 1, column 19: syntax error: unexpected 'and'",
			[]CompileError{{1, 19, "syntax error: unexpected 'and'"}}},
		{"bad regular expression", `event.type.matches("(")`, Condition, false,
			"error parsing regexp", nil},
		{"error on the second line", "event.amount > 1 &&\n  org.tipe == 'x'", Condition, false,
			"line 2, column 6: undefined field 'tipe'", []CompileError{{2, 6, "undefined field 'tipe'"}}},
		{"two errors", `event.amout > 1 || org.tipe == "x"`, Condition, false,
			"line 1, column 6: undefined field 'amout'; line 1, column 23: undefined field 'tipe'",
			[]CompileError{{1, 6, "undefined field 'amout'"}, {1, 23, "undefined field 'tipe'"}}},
		{"operator on wrong types", `event.amount + "x"`, Amount, false,
			"no matching overload for '+' applied to '(int, string)'", []CompileError{{1, 14, "found no matching overload for '+' applied to '(int, string)'"}}},
		{"amount is a string", `event.type`, Amount, false,
			"amount: the expression must yield int, but it yields string", nil},
		{"condition is an int", `event.amount`, Condition, false,
			"condition: the expression must yield bool, but it yields int", nil},
		{"amount is a double", `double(event.amount) * 0.05`, Amount, false,
			"must yield int, but it yields double", nil},
		{"dyn is not enough", `dyn(event.amount)`, Amount, false, "must yield int, but it yields dyn", nil},
		{"empty", ``, Condition, false, "condition: the expression is empty", nil},
		{"blank", " \n\t ", Amount, false, "amount: the expression is empty", nil},
		{"too long", `event.amount > 0` + strings.Repeat(" ", MaxSourceLen), Condition, false,
			"is 4016 characters long; the limit is 4000", nil},
		{"not utf-8", "event.type == \"\xff\"", Condition, false, "not valid UTF-8", nil},
		{"too expensive", `event.lines.exists(a, event.lines.exists(b, event.lines.exists(c, a.sku != c.sku)))`,
			Condition, false, "the expression is too expensive", nil},
		{"unknown kind", `true`, Kind(7), false, "unknown kind", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Compile(tt.src, tt.kind, tt.lineScope)
			if err == nil {
				t.Fatalf("Compile(%q) = %v, want an error", tt.src, e)
			}
			if ee := errs.As(err); ee == nil || ee.Kind != errs.Invalid || ee.Code != "rule_invalid" {
				t.Fatalf("error %v (%T) is not invalid/rule_invalid", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if got := Positions(err); !equalPositions(got, tt.pos) {
				t.Errorf("Positions = %+v, want %+v", got, tt.pos)
			}
		})
	}
}

func equalPositions(a, b []CompileError) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCompileManyErrors checks that the message stays readable while
// Positions keeps every problem.
func TestCompileManyErrors(t *testing.T) {
	var parts []string
	for range 8 {
		parts = append(parts, "event.nope > 0")
	}
	_, err := Compile(strings.Join(parts, " && "), Condition, false)
	if n := len(Positions(err)); n != 8 {
		t.Errorf("Positions has %d problems, want 8", n)
	}
	if !strings.Contains(err.Error(), "and 3 more") {
		t.Errorf("error %q does not say how many more", err)
	}
}

// TestCostTracking checks which expressions pay for cost tracking: those
// that could exceed the limit on some input.
func TestCostTracking(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`event.amount >= 100000 && org.type == "dealer"`, false},
		{`"north" in org.tags && org.counters["x"] > 1`, false},
		{`event.attributes["channel"].contains("we")`, false},
		{`event.lines.exists(l, l.brand == org.id)`, true},
		{`event.lines.exists(a, event.lines.exists(b, a.sku != b.sku))`, true},
		{`event.attributes["x"].replace("a", "bbbbbbbb").replace("b", "cccccccc").size() > 0`, true},
	}
	for _, tt := range tests {
		e := mustCompile(t, tt.src, Condition, false)
		if e.tracked != tt.want {
			t.Errorf("%s: tracked = %v, want %v", tt.src, e.tracked, tt.want)
		}
	}
}
