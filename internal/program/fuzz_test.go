package program

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// FuzzDecodeDefinition decodes arbitrary bytes as a program definition,
// strictly, as saving a version does: it never panics, refuses only with
// the caller's errors, and what it accepts survives a round trip (encoded
// and decoded again, it is the same definition).
func FuzzDecodeDefinition(f *testing.F) {
	for _, s := range []string{
		`{"currency":"EUR","point_type_id":"pt","rules":[{"id":"cashback","effects":[{"type":"earn","percent_bp":2000}]}]}`,
		`{"currency":"EUR","tiers":{"metric":"spend","window":"calendar_year","levels":[{"code":"base"},{"code":"gold","threshold":500000}]}}`,
		`{"currency":"EUR","rules":[{"id":"r","condition":"event.amount > 100","effects":[{"type":"earn","fixed":1}]}],"colour":"red"}`,
		`{"currency":"EUR"} {"currency":"USD"}`,
		`{"budget":1e30}`,
		`[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		def, err := DecodeDefinition(raw)
		if err != nil {
			if k := errs.KindOf(err); k != errs.Invalid && k != errs.TooLarge {
				t.Fatalf("refused with kind %v: %v", k, err)
			}
			return
		}
		once, err := json.Marshal(def)
		if err != nil {
			t.Fatalf("an accepted definition does not encode: %v", err)
		}
		again, err := DecodeDefinition(once)
		if err != nil {
			t.Fatalf("an accepted definition, encoded, is refused: %v\n%s", err, once)
		}
		twice, _ := json.Marshal(again)
		if !bytes.Equal(once, twice) {
			t.Fatalf("the round trip changed the definition:\n%s\n%s", once, twice)
		}
	})
}
