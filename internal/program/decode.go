package program

import (
	"bytes"
	"encoding/json"
	"errors"
)

// decodeStrict decodes one JSON value, refusing unknown fields and
// trailing data.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the definition")
	}
	return nil
}
