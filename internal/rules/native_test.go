package rules

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// nativeSources are expressions of the native subset: each must compile
// to a native program, of its kind and scope.
var nativeSources = []struct {
	src       string
	kind      Kind
	lineScope bool
}{
	{`event.amount >= 100000`, Condition, false},
	{`org.type == "dealer"`, Condition, false},
	{`org.region == "north" && event.quantity >= 5`, Condition, false},
	{`"vip" in org.tags`, Condition, false},
	{`org.orders_lifetime > 3 && org.spend_this_year > 100000`, Condition, false},
	{`(has(org.counters.orders) ? org.counters.orders : 0) + 1`, Amount, false},
	{`org.counters.orders_q > 2 || org.counters.missing > 0`, Condition, false},
	{`org.counters.missing > 0 || org.counters.orders_q > 2`, Condition, false},
	{`org.counters.missing > 0 && org.counters.orders_q > 1000`, Condition, false},
	{`org.counters.orders_q > 1000 && org.counters.missing > 0`, Condition, false},
	{`org.counters.missing > 0 && org.counters.other > 0`, Condition, false},
	{`!(org.counters["returns"] == 0) || member.present`, Condition, false},
	{`event.attributes.channel == "web" && "campaign" in event.attributes`, Condition, false},
	{`event.attributes["coupon"] != ""`, Condition, false},
	{`org.tier in ["gold", "silver"] && org.tier != "base"`, Condition, false},
	{`org.id < "org-2" && org.region >= "n"`, Condition, false},
	{`member.present == true && member.role == "buyer"`, Condition, false},
	{`"buyer" in member.roles || size(member.roles) == 0`, Condition, false},
	{`size(org.tags) + org.tags.size() + size(org.region) + org.industry.size()`, Amount, false},
	{`event.amount * 5 / 100 + (org.tier == "gold" ? 500 : 0)`, Amount, false},
	{`org.counters.missing > 0 ? 1 : 2`, Amount, false},
	{`(member.present ? org.region : event.attributes.missing) == "north"`, Condition, false},
	{`event.amount / org.counters.returns`, Amount, false},
	{`event.amount % org.counters.returns`, Amount, false},
	{`event.amount % 7 - event.quantity * -3`, Amount, false},
	{`9223372036854775807 + event.amount`, Amount, false},
	{`-9223372036854775807 - event.amount`, Amount, false},
	{`event.amount * 92233720368547758`, Amount, false},
	{`event.amount * -1`, Amount, false},
	{`-1 * event.amount`, Amount, false},
	{`-(org.spend_lifetime - 9223372036854775807 - 1)`, Amount, false},
	{`-9223372036854775808 / (event.quantity - 8)`, Amount, false},
	{`org.counters[event.attributes.channel] * 2`, Amount, false},
	{`line.category == "paint" && !line.on_sale`, Condition, true},
	{`line.qty * 2`, Amount, true},
	{`line.qty * (line.unit_price - line.cost) / 100`, Amount, true},
}

// notNative are expressions outside the subset: they stay with CEL.
var notNative = []string{
	`now.getDayOfWeek() in [1, 2, 3]`,
	`event.lines.exists(l, l.qty > 2)`,
	`double(event.amount) > 1.5`,
	`event.amount > 1.5`,
	`org.region.startsWith("no")`,
	`math.least(event.amount, 100) > 5`,
	`has(org.type)`,
	`line.brand == org.tags[0]`,
	`(org.counters.returns == 0 ? event.attributes : event.attributes).channel == "web"`,
}

// nativeVars are inputs the differential test runs every expression over:
// the sample, nothing at all, missing keys, and values at the edges of
// int64.
func nativeVars() []*Vars {
	edge := sampleVars()
	edge.Event.Amount, edge.Event.Quantity = math.MaxInt64, 7
	edge.Org.SpendLifetime = math.MinInt64
	edge.Org.Counters = map[string]int64{"returns": -1, "orders_q": math.MinInt64}
	edge.Event.Attributes = nil
	neg := sampleVars()
	neg.Event.Amount, neg.Org.Counters["web"] = math.MinInt64, 9
	neg.Org.Tags, neg.Member = nil, nil
	var lines []*Vars
	for _, v := range []*Vars{sampleVars(), edge, neg, {}} {
		for i := range v.eventLines() {
			w := *v
			w.Line = &v.Event.Lines[i]
			lines = append(lines, &w)
		}
	}
	return append([]*Vars{sampleVars(), edge, neg, {}, nil}, lines...)
}

func (v *Vars) eventLines() []Line {
	if v.Event == nil {
		return nil
	}
	return v.Event.Lines
}

func TestNativeProgramsMatchCEL(t *testing.T) {
	for _, c := range nativeSources {
		e := mustCompile(t, c.src, c.kind, c.lineScope)
		if e.fast == nil {
			t.Errorf("%q: not compiled to a native program", c.src)
			continue
		}
		for _, v := range nativeVars() {
			sameAsCEL(t, e, v)
		}
	}
}

func TestExpressionsOutsideTheSubsetStayWithCEL(t *testing.T) {
	for _, src := range notNative {
		for _, kind := range []Kind{Condition, Amount} {
			e, err := Compile(src, kind, true)
			if err == nil && e.fast != nil {
				t.Errorf("%q: compiled to a native program", src)
			}
		}
	}
}

// sameAsCEL evaluates e natively and through CEL and fails on any
// difference of value or of error message.
func sameAsCEL(t *testing.T, e *Expr, v *Vars) {
	t.Helper()
	viaCEL := *e
	viaCEL.fast = nil
	got, gotErr := evalAsInt(e, v)
	want, wantErr := evalAsInt(&viaCEL, v)
	if got != want || errText(gotErr) != errText(wantErr) {
		t.Errorf("%q over %+v: native %d, %v; CEL %d, %v", e.Source(), v, got, gotErr, want, wantErr)
	}
	var s Session
	if gotIn, errIn := evalInAsInt(e, &s, v); gotIn != got || errText(errIn) != errText(gotErr) {
		t.Errorf("%q in a session: %d, %v; alone %d, %v", e.Source(), gotIn, errIn, got, gotErr)
	}
}

func evalInAsInt(e *Expr, s *Session, v *Vars) (int64, error) {
	if e.Kind() == Amount {
		return e.IntIn(s, v)
	}
	b, err := e.BoolIn(s, v)
	if b {
		return 1, err
	}
	return 0, err
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestNativeFieldsReadTheirOwnField gives every field of each variable a
// value of its own and checks that each reader returns the field of its
// name, and that every field of a type the subset has has a reader.
func TestNativeFieldsReadTheirOwnField(t *testing.T) {
	v := &Vars{Event: &Event{}, Org: &Org{}, Member: &Member{}, Line: &Line{}}
	roots := map[string]reflect.Value{"event": reflect.ValueOf(v.Event).Elem(), "org": reflect.ValueOf(v.Org).Elem(),
		"member": reflect.ValueOf(v.Member).Elem(), "line": reflect.ValueOf(v.Line).Elem()}
	for root, rv := range roots {
		for i := range rv.NumField() {
			setDistinct(rv.Field(i), i)
		}
		for i := range rv.NumField() {
			name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("cel"), ",")
			checkReader(t, root+"."+name, nativeFields[root], name, rv.Field(i), v)
		}
	}
}

// setDistinct gives field number i a value no other field has.
func setDistinct(f reflect.Value, i int) {
	switch f.Interface().(type) {
	case string:
		f.SetString(string(rune('a' + i)))
	case int64:
		f.SetInt(int64(100 + i))
	case bool:
		f.SetBool(true)
	case []string:
		f.Set(reflect.ValueOf([]string{string(rune('a' + i))}))
	case map[string]int64:
		f.Set(reflect.ValueOf(map[string]int64{"k": int64(i)}))
	case map[string]string:
		f.Set(reflect.ValueOf(map[string]string{"k": string(rune('a' + i))}))
	}
}

func checkReader(t *testing.T, name string, fs fieldSet, field string, want reflect.Value, v *Vars) {
	t.Helper()
	var got any
	switch want.Interface().(type) {
	case string:
		got = call1(fs.strs[field], v)
	case int64:
		got = call1(fs.ints[field], v)
	case bool:
		got = call1(fs.bools[field], v)
	case []string:
		got = call1(fs.lists[field], v)
	case map[string]int64:
		got = call1(fs.intMaps[field], v)
	case map[string]string:
		got = call1(fs.strMaps[field], v)
	default:
		return // a type outside the subset (a time, the lines)
	}
	if got == nil {
		t.Errorf("%s: no native reader", name)
	} else if !reflect.DeepEqual(got, want.Interface()) {
		t.Errorf("%s: the reader returns %v, the field is %v", name, got, want.Interface())
	}
}

func call1[T any, F ~func(*Vars) T](f F, v *Vars) any {
	if f == nil {
		return nil
	}
	return f(v)
}

// FuzzNative compiles arbitrary source over inputs the fuzzer chooses and,
// whenever the expression is in the native subset, compares the native
// result with CEL's.
func FuzzNative(f *testing.F) {
	for _, c := range nativeSources {
		f.Add(c.src, int64(150000), int64(7), int64(3), "vip")
	}
	f.Add(`org.counters[org.tags[0]] > 1`, int64(math.MinInt64), int64(-1), int64(math.MaxInt64), "")
	f.Fuzz(func(t *testing.T, src string, amount, qty, counter int64, tag string) {
		v := sampleVars()
		v.Event.Amount, v.Event.Quantity, v.Org.SpendThisYear = amount, qty, counter
		v.Org.Counters[tag] = counter
		v.Org.Tags = append(v.Org.Tags, tag)
		v.Event.Attributes[tag] = tag
		v.Line = &v.Event.Lines[1]
		for _, kind := range []Kind{Condition, Amount} {
			for _, lineScope := range []bool{false, true} {
				if e, err := Compile(src, kind, lineScope); err == nil && e.fast != nil {
					sameAsCEL(t, e, v)
				}
			}
		}
	})
}
