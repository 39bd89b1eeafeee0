package httpapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestNilListsAreWrittenEmpty(t *testing.T) {
	type line struct {
		Tags  []string `json:"tags"`
		Notes []string `json:"notes,omitempty"`
	}
	type body struct {
		Items []line           `json:"items"`
		Lines []*line          `json:"lines"`
		By    map[string][]int `json:"by"`
		Raw   json.RawMessage  `json:"raw"`
		At    time.Time        `json:"at"`
		Any   any              `json:"any"`
	}
	shared := &line{}
	in := body{Lines: []*line{shared}, By: map[string][]int{"a": nil}, Any: line{}, At: time.Unix(0, 0).UTC()}
	var buf bytes.Buffer
	if err := marshalJSON(&buf, &in); err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(buf.String())
	want := `{"items":[],"lines":[{"tags":[]}],"by":{"a":[]},"raw":null,"at":"1970-01-01T00:00:00Z","any":{"tags":[]}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if shared.Tags != nil || in.Items != nil {
		t.Error("the response value was changed in place; it may be shared")
	}
}
