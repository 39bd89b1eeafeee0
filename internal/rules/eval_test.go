package rules

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func TestConditions(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`event.amount >= 100000 && org.type == "dealer"`, true},
		{`event.amount >= 200000 && org.type == "dealer"`, false},
		{`event.type == "purchase" && event.source == "erp" && event.currency == "EUR"`, true},
		{`event.quantity == 7 && size(event.lines) == 3`, true},
		{`"north" in org.tags`, true},
		{`"south" in org.tags`, false},
		{`org.tags.exists(t, t.startsWith("vi"))`, true},
		{`org.counters["orders_q"] > 2`, true},
		{`"returns" in org.counters && org.counters["returns"] == 0`, true},
		{`has(org.counters.orders_q)`, true},
		{`event.attributes["campaign"] == "spring"`, true},
		{`"coupon" in event.attributes`, false},
		{`org.id == "org-1" && org.region == "north" && org.industry == "automotive" && org.size == "medium" && org.tier == "gold"`, true},
		{`org.spend_this_month > org.spend_last_month`, true},
		{`org.spend_this_year == 1200000 && org.spend_lifetime == 9000000 && org.orders_lifetime == 120 && org.enrolled_days > 365`, true},
		{`member.present && member.id == "m-1" && member.role == "buyer" && member.tenure_days >= 90`, true},
		{`now.getDayOfWeek() == 3`, true}, // 2026-03-18 is a Wednesday
		{`now.getHours() >= 9 && now.getHours() < 18`, true},
		{`now.getMonth() == 2 && now.getDayOfMonth() == 17`, true}, // zero-based month and day
		{`now - event.occurred_at == duration("2h")`, true},
		{`event.occurred_at < now`, true},
		{`now > timestamp("2026-01-01T00:00:00Z")`, true},
		{`event.lines.exists(l, l.category == "oil" && l.on_sale)`, true},
		{`event.lines.all(l, l.qty > 0)`, true},
		{`event.lines.filter(l, l.brand == "acme").size() == 2`, true},
		{`event.lines.exists(a, event.lines.exists(b, a.sku != b.sku && a.brand == b.brand))`, true},
		{`org.region.upperAscii() == "NORTH" && event.source.matches("^e.p$")`, true},
		{`event.type.contains("chas") && event.type.endsWith("se")`, true},
		{`org.id.split("-")[1] == "1"`, true},
	}
	v := sampleVars()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := mustCompile(t, tt.src, Condition, false).Bool(v)
			if err != nil || got != tt.want {
				t.Errorf("Bool = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestAmounts(t *testing.T) {
	tests := []struct {
		src  string
		want int64
	}{
		{`event.amount / 100`, 1500},
		{`event.amount * 5 / 100 + (org.tier == "gold" ? 500 : 0)`, 8000},
		{`-7 / 2`, -3}, // integer division truncates; programs choose their rounding
		{`math.least(event.amount / 10, 5000)`, 5000},
		{`math.greatest(event.amount / 1000, 200)`, 200},
		{`event.lines.filter(l, l.brand == "acme").size() * 100`, 200},
		{`org.counters["orders_q"] * 10`, 30},
		{`size(org.tags)`, 2},
		{`event.attributes["campaign"] == "spring" ? 1 : 0`, 1},
		{`event.occurred_at.getHours()`, 12},
		{`(now - event.occurred_at).getMinutes()`, 120},
	}
	v := sampleVars()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e, err := Compile(tt.src, Amount, false)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := e.Int(v)
			if err != nil || got != tt.want {
				t.Errorf("Int = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestPerLine evaluates line-scoped expressions once per line, as the
// engine does.
func TestPerLine(t *testing.T) {
	tests := []struct {
		src  string
		kind Kind
		want []int64 // per line; 1 and 0 for true and false
	}{
		{`line.category == "tyres"`, Condition, []int64{1, 0, 0}},
		{`line.on_sale`, Condition, []int64{0, 1, 0}},
		{`line.brand == "acme" && line.sku.startsWith("F")`, Condition, []int64{0, 0, 1}},
		{`line.amount * 3 / 100`, Amount, []int64{3000, 900, 600}},
		{`line.qty * (line.unit_price - line.cost / line.qty) / 100`, Amount, []int64{300, 100, 80}},
		{`line.on_sale ? 0 : line.amount / 1000 + (event.amount > 100000 ? 10 : 0)`, Amount, []int64{110, 0, 30}},
	}
	v := sampleVars()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e := mustCompile(t, tt.src, tt.kind, true)
			for i := range v.Event.Lines {
				v.Line = &v.Event.Lines[i]
				got, err := evalAsInt(e, v)
				if err != nil || got != tt.want[i] {
					t.Errorf("line %d: %v, %v; want %v", i, got, err, tt.want[i])
				}
			}
		})
	}
}

func evalAsInt(e *Expr, v *Vars) (int64, error) {
	if e.Kind() == Amount {
		return e.Int(v)
	}
	b, err := e.Bool(v)
	if b {
		return 1, err
	}
	return 0, err
}

func TestEvalErrors(t *testing.T) {
	bigEvent := sampleVars()
	for i := range 1000 {
		bigEvent.Event.Lines = append(bigEvent.Event.Lines, Line{SKU: "S" + strings.Repeat("x", i%7), Brand: "b"})
	}
	tests := []struct {
		src  string
		kind Kind
		v    *Vars
		want string
	}{
		{`event.amount / 0`, Amount, sampleVars(), "cannot evaluate the amount: division by zero"},
		{`event.amount / (org.counters["returns"])`, Amount, sampleVars(), "division by zero"},
		{`event.amount % 0`, Amount, sampleVars(), "modulus by zero"},
		{`9223372036854775807 + event.amount`, Amount, sampleVars(), "cannot evaluate the amount: integer overflow"},
		{`event.amount * 9223372036854775807 > 0`, Condition, sampleVars(), "cannot evaluate the condition: integer overflow"},
		{`-9223372036854775807 - event.amount`, Amount, sampleVars(), "integer overflow"},
		{`org.counters["missing"] > 0`, Condition, sampleVars(), "no such key: missing"},
		{`event.attributes["coupon"] == "X"`, Condition, sampleVars(), "no such key: coupon"},
		{`event.lines[5].amount`, Amount, sampleVars(), "index out of bounds: 5"},
		{`int(event.type) > 0`, Condition, sampleVars(), "cannot evaluate the condition"},
		{`event.lines.exists(a, event.lines.exists(b, a.sku == b.sku && a.brand != b.brand))`, Condition, bigEvent,
			"evaluation exceeded the cost limit of 100000"},
		{`event.lines.map(l, event.lines.map(m, l.qty * m.qty)).size()`, Amount, bigEvent,
			"evaluation exceeded the cost limit"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e := mustCompile(t, tt.src, tt.kind, false)
			_, err := evalAsInt(e, tt.v)
			if err == nil {
				t.Fatal("no error")
			}
			if ee := errs.As(err); ee == nil || ee.Kind != errs.Invalid || ee.Code != "rule_eval_failed" {
				t.Fatalf("error %v (%T) is not invalid/rule_eval_failed", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// TestZeroVars checks that missing parts read as zero values, not panics.
func TestZeroVars(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`!member.present && member.id == ""`, true},
		{`event.amount == 0 && size(event.lines) == 0 && size(event.attributes) == 0`, true},
		{`org.type == "" && !("north" in org.tags)`, true},
		{`now == timestamp("0001-01-01T00:00:00Z")`, true},
	}
	for _, tt := range tests {
		e := mustCompile(t, tt.src, Condition, false)
		for _, v := range []*Vars{nil, {}} {
			if got, err := e.Bool(v); err != nil || got != tt.want {
				t.Errorf("%s over %v: %v, %v; want %v", tt.src, v, got, err, tt.want)
			}
		}
	}
	e := mustCompile(t, `line.amount + line.qty`, Amount, true)
	if got, err := e.Int(&Vars{}); err != nil || got != 0 {
		t.Errorf("line over empty Vars: %v, %v; want 0", got, err)
	}
}

func TestWrongMethodForKind(t *testing.T) {
	if _, err := mustCompile(t, `true`, Condition, false).Int(sampleVars()); err == nil {
		t.Error("Int on a condition: no error")
	}
	if _, err := mustCompile(t, `1`, Amount, false).Bool(sampleVars()); err == nil {
		t.Error("Bool on an amount: no error")
	}
}

// TestConcurrent evaluates one Expr from many goroutines, each with its
// own Vars; run with -race.
func TestConcurrent(t *testing.T) {
	cond := mustCompile(t, `event.amount >= 100000 && "north" in org.tags && now.getDayOfWeek() == 3`, Condition, false)
	amount := mustCompile(t, `event.lines.filter(l, l.brand == org.id).size() + event.amount / 100`, Amount, false)
	perLine := mustCompile(t, `line.amount * 3 / 100`, Amount, true)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			v := sampleVars()
			v.Event.Amount = int64(g) * 100000
			v.Now = now.Add(time.Duration(g) * time.Minute)
			for range 200 {
				ok, err := cond.Bool(v)
				if err != nil || ok != (g >= 1) {
					t.Errorf("goroutine %d: Bool = %v, %v", g, ok, err)
					return
				}
				n, err := amount.Int(v)
				if err != nil || n != int64(g)*1000 {
					t.Errorf("goroutine %d: Int = %v, %v", g, n, err)
					return
				}
				v.Line = &v.Event.Lines[g%3]
				if _, err := perLine.Int(v); err != nil {
					t.Errorf("goroutine %d: per line: %v", g, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
