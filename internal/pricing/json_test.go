package pricing

import (
	"encoding/json"
	"strings"
	"testing"
)

// A quote's lines are named by their position, a number, as an event's
// earns name theirs; the internal reference stays out of the JSON.
func TestLineResultJSONNamesTheLineByNumber(t *testing.T) {
	b, err := json.Marshal(LineResult{Ref: "SKU-1", Line: 2, Amount: 10, Net: 10, Reasons: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"line":2,`) || strings.Contains(string(b), "SKU-1") {
		t.Errorf("JSON = %s", b)
	}
}
