package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, in string
		want     Finding // zero: nothing found
	}{
		{"plain", `{"name":"Acme","tags":["a","b"],"n":1.5e3,"ok":true,"x":null}`, Finding{}},
		{"duplicate at the top", `{"name":"a","type":"dealer","name":"b"}`, Finding{Path: "name", Code: DuplicateKey, Key: "name"}},
		{"duplicate in an item", `{"items":[{"a":1},{"a":1,"b":2,"a":3}]}`, Finding{Path: "items[1].a", Code: DuplicateKey, Key: "a"}},
		{"duplicate spelt with an escape", `{"name":"a","na\u006de":"b"}`, Finding{Path: "name", Code: DuplicateKey, Key: "name"}},
		{"duplicate in another case", `{"name":"a","NAME":"b"}`, Finding{Path: "NAME", Code: DuplicateKey, Key: "NAME"}},
		{"duplicate in another case, beyond ASCII", `{"straße":1,"STRASSE":2,"ſtraße":3}`, Finding{Path: "ſtraße", Code: DuplicateKey, Key: "ſtraße"}},
		{"same key in sibling objects", `{"a":{"k":1},"b":{"k":1}}`, Finding{}},
		{"duplicate among many keys", manyKeys(40, true), Finding{Path: "k0a", Code: DuplicateKey, Key: "k0a"}},
		{"many distinct keys", manyKeys(40, false), Finding{}},
		{"escaped NUL", `{"id":"ext:\u0000"}`, Finding{Path: "id", Code: NUL}},
		{"escaped NUL in a key", `{"a":{"b\u0000":1}}`, Finding{Path: "a", Code: NUL}},
		{"escaped bidi override", `{"lines":[{"sku":"x\u202Egnp.exe"}]}`, Finding{Path: "lines[0].sku", Code: BidiControl}},
		{"raw bidi override", "{\"name\":\"x\u202egnp.exe\"}", Finding{Path: "name", Code: BidiControl}},
		{"raw isolate", "[\"\u2066\"]", Finding{Path: "[0]", Code: BidiControl}},
		{"raw Arabic letter mark", "{\"n\":\"\u061c\"}", Finding{Path: "n", Code: BidiControl}},
		{"neighbours of bidi controls pass", "{\"n\":\"\u2010\u2030\u2070\u060c\u06cc — ok\"}", Finding{}},
		{"escaped quote and backslash", `{"a":"x\"y\\","a2":"\/"}`, Finding{}},
		{"not JSON", `{"a":`, Finding{}},
		{"not JSON either", `{"a" 1, "a": 2}`, Finding{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Check([]byte(tt.in))
			if got != tt.want || ok != (tt.want.Code != "") {
				t.Errorf("Check(%s) = %+v, %v; want %+v", tt.in, got, ok, tt.want)
			}
		})
	}
}

func manyKeys(n int, dup bool) string {
	s := "{"
	for i := range n {
		s += `"k` + string(rune('0'+i%10)) + string(rune('a'+i/10)) + `":1,`
	}
	if dup {
		s += `"k0a":2,`
	}
	return s + `"last":0}`
}

// PathAt names the field encoding/json's type errors point at.
func TestPathAt(t *testing.T) {
	type line struct {
		Qty int64 `json:"qty"`
	}
	var in struct {
		Owner struct {
			ID int32 `json:"id"`
		} `json:"owner"`
		Lines  []line `json:"lines"`
		Amount int64  `json:"amount"`
	}
	for doc, want := range map[string]string{
		`{"amount":1e30}`:                                 "amount",
		`{"lines":[{"qty":1},{"qty": -1e19 }]}`:           "lines[1].qty",
		`{"owner":{"id":99999999999},"amount":1}`:         "owner.id",
		`{"lines":[{"qty":1},{"qty":"x"}],"amount":1e30}`: "lines[1].qty",
		`{"amount":{"a":1}}`:                              "amount",
	} {
		err := json.Unmarshal([]byte(doc), &in)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			t.Fatalf("%s: %v", doc, err)
		}
		if got := PathAt([]byte(doc), te.Offset); got != want {
			t.Errorf("PathAt(%s, %d) = %q, want %q", doc, te.Offset, got, want)
		}
	}
	if got := PathAt([]byte(`{"a":1}`), 99); got != "" {
		t.Errorf("offset past the end: %q", got)
	}
}

// FuzzCheck: Check and PathAt never panic, and a document encoding/json
// decodes into a map without loss has no duplicate key.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":1,"a":2}`, `{"a":[{"b":"\u202e"}]}`, `[1,"x",{"y":null}]`, `{"k":"\u0000"}`, `"\ud800"`, `{`} {
		f.Add([]byte(s), int64(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, off int64) {
		fd, found := Check(data)
		_ = PathAt(data, off)
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) != nil {
			return
		}
		n, folded := 0, map[string]bool{}
		dec := json.NewDecoder(bytesReader(data))
		if tok, err := dec.Token(); err == nil && tok == json.Delim('{') {
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return
				}
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return
				}
				n++
				folded[fold(k.(string))] = true
			}
		}
		if n != len(m) && !(found && fd.Code == DuplicateKey) {
			t.Fatalf("%d keys decode to %d, but no duplicate found in %q (found %+v)", n, len(m), data, fd)
		}
		if found && fd.Code == DuplicateKey && fd.Path == fd.Key && n == len(folded) {
			t.Fatalf("duplicate %q reported at the top of %q, which has none", fd.Key, data)
		}
	})
}

// BenchmarkCheck scans a batch of 5,000 events (about 1.6 MB), the
// largest body the events API takes, against decoding it.
func BenchmarkCheck(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"events":[`)
	for i := range 5000 {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"type":"invoice","source":"erp","external_id":"INV-%d","occurred_at":"2026-11-20T10:00:00Z","organization":"ext:R-%d",`+
			`"currency":"EUR","lines":[{"sku":"RF-TILE-CLAY","category":"roofing","qty":200,"unit_price":1250},{"sku":"INS-ROLL","qty":2,"unit_price":4200}]}`, i, i%300)
	}
	buf.WriteString(`]}`)
	data := buf.Bytes()
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, ok := Check(data); ok {
				b.Fatal("found something")
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
