package defform

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/program"
)

// roundTrip loads a definition into the form and reads it back as a
// browser would send it.
func roundTrip(t *testing.T, name string, def engine.Definition) {
	t.Helper()
	got, err := Decode(Encode(def).Values())
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	want, _ := json.Marshal(normal(def))
	have, _ := json.Marshal(normal(got))
	if !bytes.Equal(want, have) {
		t.Errorf("%s: the form changed the definition\nwant %s\ngot  %s", name, want, have)
	}
}

// normal treats an empty list as no list, as the engine does.
func normal(def engine.Definition) engine.Definition {
	zeroEmpty(reflect.ValueOf(&def).Elem())
	return def
}

func zeroEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				zeroEmpty(v.Field(i))
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			zeroEmpty(v.Elem())
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
		}
		for i := 0; i < v.Len(); i++ {
			zeroEmpty(v.Index(i))
		}
	}
}

// The examples shipped with the product and every definition in the
// documentation survive the form unchanged.
func TestExamplesRoundTrip(t *testing.T) {
	n := 0
	files, _ := filepath.Glob("../../../examples/*.json")
	for _, f := range files {
		var ex struct{ Definition json.RawMessage }
		raw, _ := os.ReadFile(f)
		if err := json.Unmarshal(raw, &ex); err != nil {
			t.Fatal(f, err)
		}
		roundTrip(t, f, mustDecode(t, f, ex.Definition))
		n++
	}
	bench, _ := os.ReadFile("../../engine/testdata/bench_program.json")
	roundTrip(t, "bench_program", mustDecode(t, "bench", bench))
	n++
	for name, def := range docDefinitions(t) {
		roundTrip(t, name, def)
		n++
	}
	t.Logf("%d definitions", n)
	if n < 6 {
		t.Fatalf("only %d definitions found", n)
	}
}

func mustDecode(t *testing.T, name string, raw []byte) engine.Definition {
	t.Helper()
	def, err := program.DecodeDefinition(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return def
}

var jsonBlock = regexp.MustCompile("(?s)```json\n(.*?)```")

// docDefinitions are the JSON blocks of docs/*.md that are a definition,
// a rule or a discount (the latter two put in a definition).
func docDefinitions(t *testing.T) map[string]engine.Definition {
	out := map[string]engine.Definition{}
	docs, _ := filepath.Glob("../../../docs/*.md")
	docs = append(docs, "../../../README.md")
	for _, d := range docs {
		raw, _ := os.ReadFile(d)
		for i, m := range jsonBlock.FindAllSubmatch(raw, -1) {
			name := filepath.Base(d) + "#" + string(rune('0'+i))
			if def, ok := asDefinition(m[1]); ok {
				out[name] = def
			}
		}
		for i, obj := range namedDefinitions(raw) {
			if def, ok := asDefinition(obj); ok {
				out[filepath.Base(d)+"/definition#"+string(rune('0'+i))] = def
			}
		}
	}
	return out
}

func asDefinition(raw []byte) (engine.Definition, bool) {
	strict := func(v any) bool {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		return dec.Decode(v) == nil
	}
	var def engine.Definition
	var r engine.Rule
	var d engine.Discount
	switch {
	case bytes.Contains(raw, []byte(`"effects"`)) && strict(&r):
		return engine.Definition{Rules: []engine.Rule{r}}, true
	case bytes.Contains(raw, []byte(`"kind"`)) && strict(&d):
		return engine.Definition{Discounts: []engine.Discount{d}}, true
	case bytes.Contains(raw, []byte(`"currency"`)) && strict(&def):
		return def, true
	}
	return def, false
}

// Every field of every mechanic is in the form: a definition with all of
// them set comes back the same.
func TestEveryFieldRoundTrips(t *testing.T) {
	var def engine.Definition
	fill(reflect.ValueOf(&def).Elem(), 0)
	roundTrip(t, "everything", def)
	if len(def.Rules) != 2 || def.Rules[1].Effects[1].PerAmount == nil || def.Tiers.Levels[1].Perks[1] == "" {
		t.Fatalf("the filler left parts empty: %+v", def)
	}
}

// fill sets every field: words, numbers, switches, two items per list.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fill(v.Index(i), depth+1)
		}
	case reflect.String:
		v.SetString("w" + string(rune('a'+depth)) + " x")
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(7 + depth))
	case reflect.Bool:
		v.SetBool(true)
	}
}

// namedDefinitions are the objects written as "definition": {...} in a
// text (requests in shell examples), by their balanced braces.
func namedDefinitions(raw []byte) [][]byte {
	var out [][]byte
	for _, loc := range regexp.MustCompile(`"definition"\s*:\s*\{`).FindAllIndex(raw, -1) {
		start, depth := loc[1]-1, 0
		for i := start; i < len(raw); i++ {
			switch raw[i] {
			case '{':
				depth++
			case '}':
				depth--
			}
			if depth == 0 {
				out = append(out, raw[start:i+1])
				break
			}
		}
	}
	return out
}
