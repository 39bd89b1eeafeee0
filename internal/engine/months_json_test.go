package engine

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// storedStates are states as the engine stored them when months were a
// map[string]*Month, byte for byte: no months, the bench state after an
// evaluation, and years outside 0–9999 whose keys sort unlike the months.
var storedStates = []string{
	`{"lifetime":{"spend":0,"quantity":0,"orders":0,"points":0}}`,
	`{"enrolled_at":"2024-11-10T12:00:00Z","tier":"gold","stamps":3,"counters":{"orders":3},"months":{"2025-10":{"spend":65000,"quantity":20,"orders":2,"points":300},"2025-11":{"spend":64000,"quantity":20,"orders":2,"points":300},"2025-12":{"spend":63000,"quantity":20,"orders":2,"points":300},"2026-01":{"spend":62000,"quantity":20,"orders":2,"points":300},"2026-02":{"spend":61000,"quantity":20,"orders":2,"points":300},"2026-03":{"spend":60000,"quantity":20,"orders":2,"points":300},"2026-04":{"spend":59000,"quantity":20,"orders":2,"points":300},"2026-05":{"spend":58000,"quantity":20,"orders":2,"points":300},"2026-06":{"spend":57000,"quantity":20,"orders":2,"points":300},"2026-07":{"spend":56000,"quantity":20,"orders":2,"points":300},"2026-08":{"spend":55000,"quantity":20,"orders":2,"points":300},"2026-09":{"spend":54000,"quantity":20,"orders":2,"points":300},"2026-10":{"spend":53000,"quantity":20,"orders":2,"points":300},"2026-11":{"spend":83500,"quantity":56,"orders":3,"points":442}},"lifetime":{"spend":850500,"quantity":36,"orders":29,"points":142},"last_order":"2026-11-10T12:00:02Z","caps":{"rule:north:organization:month:2026-11":36}}`,
	`{"tier":"x","months":{"-0001-03":{"spend":-3,"quantity":0,"orders":0,"points":9223372036854775807},"0000-01":{"spend":0,"quantity":0,"orders":-9223372036854775808,"points":0},"10000-01":{"spend":1,"quantity":0,"orders":0,"points":0},"9999-12":{"spend":2,"quantity":0,"orders":0,"points":0}},"lifetime":{"spend":0,"quantity":0,"orders":0,"points":0}}`,
}

// TestStoredStatesLoad: states stored before months were a slice load,
// in any key order, and are written back byte for byte.
func TestStoredStatesLoad(t *testing.T) {
	for i, stored := range storedStates {
		for _, text := range []string{stored, reverseMonthKeys(t, stored)} {
			var st State
			if err := json.Unmarshal([]byte(text), &st); err != nil {
				t.Fatalf("state %d: %v", i, err)
			}
			if b, _ := json.Marshal(st); string(b) != stored {
				t.Fatalf("state %d read from\n%s\nwritten as\n%s\nwant\n%s", i, text, b, stored)
			}
		}
	}
	// An empty state has no months, nil or empty, as the map had none.
	for _, ms := range []Months{nil, {}} {
		if b, _ := json.Marshal(State{Months: ms}); string(b) != storedStates[0] {
			t.Fatalf("%#v written as %s", ms, b)
		}
	}
}

// reverseMonthKeys is a stored state with its months in the reverse order.
func reverseMonthKeys(t *testing.T, stored string) string {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stored), &fields); err != nil || fields["months"] == nil {
		return stored
	}
	var ms map[string]json.RawMessage
	if err := json.Unmarshal(fields["months"], &ms); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range ms {
		keys = append(keys, k)
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := range keys {
		k := keys[len(keys)-1-i]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + k + `": ` + string(ms[k]))
	}
	b.WriteByte('}')
	return strings.Replace(stored, string(fields["months"]), b.String(), 1)
}

// TestMonthsJSONAsMap: months are written as encoding/json writes the
// map[string]*Month they were (nil, empty, random months and figures,
// odd years), and read back as they were, quickly unless null or with
// odd years.
func TestMonthsJSONAsMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	cases := []Months{nil, {}, monthsOf(map[string]Month{"2026-11": {Spend: 1, Quantity: -2, Orders: math.MinInt64, Points: math.MaxInt64}}),
		monthsOf(map[string]Month{"10000-01": {Spend: 1}, "9999-12": {Spend: 2}, "-0001-12": {Spend: 3}, "-0002-01": {}, "0000-01": {}, "-10000-05": {}})}
	for range 200 {
		at := time.Date(1990+r.IntN(60), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		cases = append(cases, randomMonths(r, at).Months)
	}
	for i, ms := range cases {
		got, err := json.Marshal(ms)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := json.Marshal(monthsMap(ms)); string(got) != string(want) {
			t.Fatalf("case %d: %s, want %s", i, got, want)
		}
		var back Months
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back, ms) {
			t.Fatalf("case %d: read back %v (%v), want %v", i, back, err, ms)
		}
		if _, quick := readStored(got); !quick && i != 0 && i != 3 { // null; years outside 0–9999
			t.Fatalf("case %d: %s not read quickly", i, got)
		}
	}
}

// TestMonthsJSONBadKeys: a key that is not a month is an error, not a
// panic or a month elsewhere; null is no months.
func TestMonthsJSONBadKeys(t *testing.T) {
	for _, key := range []string{"", "2026", "2026-1", "2026-13", "2026-00", "02026-11", "+2026-11", "-1-01", "2026-11x", "x-11", "-11", "9223372036854775807-01"} {
		var ms Months
		if err := json.Unmarshal([]byte(`{"`+key+`":{"spend":1}}`), &ms); err == nil {
			t.Errorf("key %q read as %v", key, ms)
		}
	}
	ms := Months{}
	if err := json.Unmarshal([]byte(`null`), &ms); err != nil || ms != nil {
		t.Errorf("null read as %#v (%v)", ms, err)
	}
	if err := json.Unmarshal([]byte(`[1]`), &ms); err == nil {
		t.Error("an array read as months")
	}
}

// FuzzMonthsJSON: months read quickly are what encoding/json reads;
// whatever months read, they are written as the map was and read back
// the same.
func FuzzMonthsJSON(f *testing.F) {
	for _, seed := range []string{
		`{"2025-01":{"spend":1,"quantity":-2,"orders":-9223372036854775808,"points":9223372036854775807},"2026-11":{"spend":0,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"spend":9223372036854775808,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"spend":01,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"spend":1.0,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"spend":1e3,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"spend":-0,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11": {"spend":1,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"Spend":1,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"points":1,"quantity":0,"orders":0,"spend":0}}`,
		`{"2026-11":{"spend":1,"quantity":0,"orders":0,"points":0,"x":1}}`,
		`{"2026-11":{"spend":1},"2025-01":{"points":-4}}`,
		`{"2026-11":{"spend":1},"2026-11":{"quantity":2}}`,
		`{"10000-01":{},"-0001-12":{"orders":3},"2026-11":null}`,
		`{"2026-13":{"spend":1,"quantity":0,"orders":0,"points":0}}`,
		`{"2026-11":{"spend":1,"quantity":0,"orders":0,"points":0}`,
		`{"2026-11":{"spend":1,"quantity":0,"orders":0,"points":0}}x`,
		`{}`, `null`, ``, `[]`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if fast, ok := readStored([]byte(text)); ok {
			if all, err := readAny([]byte(text)); err != nil || !reflect.DeepEqual(fast, all) {
				t.Fatalf("read quickly as %v, fully as %v (%v)", fast, all, err)
			}
		}
		var ms Months
		if json.Unmarshal([]byte(text), &ms) != nil {
			return
		}
		got, _ := json.Marshal(ms)
		if want, _ := json.Marshal(monthsMap(ms)); string(got) != string(want) {
			t.Fatalf("%s, want %s", got, want)
		}
		var back Months
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back, ms) {
			t.Fatalf("read back %v (%v), want %v", back, err, ms)
		}
	})
}
