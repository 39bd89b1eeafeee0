package engine

import (
	"bufio"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// The differential test pins what the engine computes, so that work on its
// speed cannot change a single byte of an outcome. testdata/differential.golden
// holds one digest per program variant and rounding, written by the engine
// as it was before that work; -update-differential rewrites it (only ever
// from an engine whose outcomes are known to be right). LOYAL_DIFF_DUMP=file
// writes every result in full, to diff two engines' dumps when digests differ.
var updateDifferential = flag.Bool("update-differential", false, "rewrite testdata/differential.golden")

const differentialGolden = "testdata/differential.golden"

func TestDifferential(t *testing.T) {
	var dump io.Writer = io.Discard
	if path := os.Getenv("LOYAL_DIFF_DUMP"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		defer w.Flush()
		dump = w
	}
	var got []string
	total := 0
	for _, v := range diffVariants(t) {
		for _, r := range money.Roundings {
			h := sha256.New()
			n := diffRun(t, v.def, r, io.MultiWriter(h, dump))
			total += n
			got = append(got, fmt.Sprintf("%s %s %d %x", v.name, r, n, h.Sum(nil)))
		}
	}
	text := strings.Join(got, "\n") + "\n"
	if *updateDifferential {
		if err := os.WriteFile(differentialGolden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(differentialGolden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != text {
		t.Fatalf("outcomes differ from the golden digests (%d results):\n got:\n%s\nwant:\n%s", total, text, want)
	}
	t.Logf("%d results identical", total)
}

type diffVariant struct {
	name string
	def  Definition
}

// diffVariants are the bench program, the rich one (every stateful part),
// and changes of them that take other paths: members as beneficiaries,
// explicit enrollment and an audience, pending and expiring points, a stop
// rule, a points payment, a stamp card paying points.
func diffVariants(t *testing.T) []diffVariant {
	bench, rich := benchProgram(t).Def, richProgram(t).Def
	member := rich
	member.Beneficiary = ToMember
	audience := bench
	audience.Enrollment = "explicit"
	audience.Audience = Audience{OrganizationTypes: []string{"dealer", "installer"}}
	dated := rich
	dated.Rules = append([]Rule(nil), rich.Rules...)
	for i := range dated.Rules {
		dated.Rules[i].Effects = append([]Effect(nil), dated.Rules[i].Effects...)
		for j := range dated.Rules[i].Effects {
			dated.Rules[i].Effects[j].PendingDays, dated.Rules[i].Effects[j].ExpiresDays = ptr(i%3), ptr(30+i)
		}
	}
	stop := bench
	stop.Rules = append([]Rule(nil), bench.Rules...)
	stop.Rules[3].Stop = true
	pay := rich
	pay.PointsPayment = &PointsPayment{MaxShareBP: 3000}
	pay.Budget = 40_000
	card := bench
	sc := *bench.Stamps
	sc.Reward = Effect{Type: EffectEarn, Fixed: 75}
	card.Stamps = &sc
	return []diffVariant{{"bench", bench}, {"rich", rich}, {"member", member}, {"audience", audience},
		{"dated", dated}, {"stop", stop}, {"pay", pay}, {"card", card}}
}

// diffRun compiles a variant with a rounding and writes every result of a
// fixed stream to w: purchases carrying each participant's states, a
// return, a review and a quote now and then. It returns how many results.
func diffRun(t *testing.T, def Definition, r money.Rounding, w io.Writer) int {
	if def.Currency == "" {
		def.Currency, def.PointTypeID = "EUR", "pt"
	}
	p, err := Compile("prog-1", 1, t0.AddDate(-1, 0, 0), def, PointValue{Num: 37, Den: 3, Rounding: r})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	parts := diffParticipants()
	var ps ProgramState
	var last [7]*Original
	n := 0
	for i, ev := range diffEvents(560) {
		k := i % len(parts)
		out, err := Evaluate(p, ps, parts[k], ev)
		writeResult(w, "evaluate", i, out, err)
		n++
		if err == nil {
			parts[k].OrgState, parts[k].MemberState, ps = out.OrgState, out.MemberState, out.ProgramState
			last[k%len(last)] = &Original{Event: *ev, Earned: out.Earns, Stamps: stampsAdded(out)}
		}
		if o := last[k%len(last)]; i%9 == 4 && o != nil && len(o.Event.Lines) > 0 {
			l := o.Event.Lines[i%len(o.Event.Lines)]
			ret := &Event{ID: fmt.Sprintf("ret-%d", i), Type: Return, OccurredAt: ev.OccurredAt.Add(time.Hour), Currency: "EUR",
				Lines: []Line{{SKU: l.SKU, Qty: 1 + l.Qty/2}}}
			res, err := EvaluateReturn(p, parts[k], ret, o)
			writeResult(w, "return", i, res, err)
			n++
		}
		if i%23 == 7 {
			out, err := Review(p, ps, parts[k], ev.OccurredAt.AddDate(0, 1, 0))
			writeResult(w, "review", i, out, err)
			n++
		}
		if i%31 == 5 {
			q, err := Quote(p, ps, parts[k], Cart{Currency: "EUR", Lines: ev.Lines, PointsToSpend: int64(i % 50), Balance: 40}, ev.OccurredAt)
			writeResult(w, "quote", i, q, err)
			n++
		}
	}
	return n
}

func stampsAdded(o Outcome) int64 {
	if o.Stamps == nil {
		return 0
	}
	return o.Stamps.Added
}

var diffRoles = []string{"sales", "accountant", "owner", "buyer", "", "sales", "buyer"}

// diffParticipants are the bench organizations with members of varied
// roles, some new (not enrolled, no history), plans, segments and pilots.
func diffParticipants() []Participant {
	parts := benchParticipants(28)
	for i := range parts {
		if role := diffRoles[i%len(diffRoles)]; role != "" {
			parts[i] = withMember(parts[i], fmt.Sprintf("m-%d", i), role, i%3 != 0)
			parts[i].Member.Roles = []string{role, "buyer"}
			parts[i].Member.BirthMonth = i%12 + 1
		}
		switch i % 9 {
		case 1:
			parts[i].OrgState = State{}
		case 2:
			parts[i].Plans = []Plan{{Code: "pro", EarnMultiplierBP: 12500}}
		case 4:
			parts[i].Segments = []string{"loyal", "big"}
		case 5:
			parts[i].Pilot = []string{"pilot", "control", "outside"}[i/9%3]
		}
	}
	return parts
}

// diffEvents are invoices every seven hours (a stream over more than a
// year, so months roll and tiers move), some orders paying with points,
// a visit, and now and then an event in another currency.
func diffEvents(n int) []*Event {
	evs := benchEvents(n)
	for i, ev := range evs {
		ev.OccurredAt = t0.AddDate(0, -3, 0).Add(time.Duration(i) * 7 * time.Hour)
		switch i % 17 {
		case 3:
			ev.Type, ev.PointsSpent = Order, int64(i%40)
		case 8:
			ev.Type, ev.Lines = Training, nil
		case 12:
			ev.Currency = "USD"
		case 6, 14:
			ev.Lines[1].Qty *= 40 // a big order: bonuses, messages, caps reached
			ev.Lines[1].Amount *= 40
		}
	}
	return evs
}

// writeResult writes a result in a canonical text form: every field,
// pointers followed, map keys sorted, nil told from empty. Months are
// written as the map of MonthKey to *Month they were when the digests
// were made.
func writeResult(w io.Writer, kind string, i int, v any, err error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d err=%v ", kind, i, err)
	canon(&b, reflect.ValueOf(v))
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func canon(b *strings.Builder, v reflect.Value) {
	if v.Type() == reflect.TypeFor[Months]() {
		v = reflect.ValueOf(monthsMap(v.Interface().(Months)))
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteByte('&')
		canon(b, v.Elem())
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			b.WriteString(t.Format(time.RFC3339Nano))
			return
		}
		b.WriteByte('{')
		for i := range v.NumField() {
			fmt.Fprintf(b, "%s:", v.Type().Field(i).Name)
			canon(b, v.Field(i))
			b.WriteByte(' ')
		}
		b.WriteByte('}')
	case reflect.Slice, reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		canonSeq(b, v)
	default:
		fmt.Fprintf(b, "%q", fmt.Sprint(v.Interface()))
	}
}

// canonSeq writes a slice in order and a map by sorted keys.
func canonSeq(b *strings.Builder, v reflect.Value) {
	b.WriteByte('[')
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			canon(b, v.Index(i))
			b.WriteByte(',')
		}
	} else {
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			fmt.Fprintf(b, "%v=", k)
			canon(b, v.MapIndex(k))
			b.WriteByte(',')
		}
	}
	b.WriteByte(']')
}
