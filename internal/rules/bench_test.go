package rules

import "testing"

// The engine evaluates about ten rules per event and must reach 200,000
// events/s on one core: 500 ns per rule at most, everything else included.

func benchBool(b *testing.B, src string) {
	e := mustCompile(b, src, Condition, false)
	v := sampleVars()
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := e.Bool(v); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func benchInt(b *testing.B, src string) {
	e := mustCompile(b, src, Amount, false)
	v := sampleVars()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Int(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCondition(b *testing.B) {
	benchBool(b, `event.amount >= 100000 && org.type == "dealer"`)
}

func BenchmarkConditionTags(b *testing.B) {
	benchBool(b, `"north" in org.tags && org.counters["orders_q"] > 2 && member.present`)
}

func BenchmarkConditionNow(b *testing.B) {
	benchBool(b, `now.getDayOfWeek() >= 1 && now.getDayOfWeek() <= 5`)
}

func BenchmarkAmount(b *testing.B) {
	benchInt(b, `event.amount * 5 / 100 + (org.tier == "gold" ? 500 : 0)`)
}

// BenchmarkPerLine is one evaluation of a line-scoped amount.
func BenchmarkPerLine(b *testing.B) {
	e := mustCompile(b, `line.category == "tyres" && !line.on_sale ? line.amount * 3 / 100 : 0`, Amount, true)
	v := sampleVars()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v.Line = &v.Event.Lines[i%len(v.Event.Lines)]
		i++
		if _, err := e.Int(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoopOverLines pays for cost tracking: a loop over lines could
// exceed the limit on a large enough event.
func BenchmarkLoopOverLines(b *testing.B) {
	benchInt(b, `event.lines.filter(l, l.brand == "acme").size() * 100`)
}
