package web

import (
	"regexp"
	"strings"
	"testing"
)

// All the script and style of a page — what the layout links — weigh at
// most 150 KB. (A size, not a timing.)
func TestAssetBudget(t *testing.T) {
	layout, err := base.ReadFile("templates/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	linked := regexp.MustCompile(`asset "([^"]+)"`).FindAllStringSubmatch(string(layout), -1)
	total := 0
	for _, m := range linked {
		size := AssetSize(m[1])
		if size == 0 {
			t.Errorf("the layout links %s, which is not embedded", m[1])
		}
		if strings.HasSuffix(m[1], ".js") || strings.HasSuffix(m[1], ".css") {
			total += size
		}
	}
	if len(linked) < 4 {
		t.Fatalf("the layout links %d assets; expected htmx, Pico, app.css, app.js", len(linked))
	}
	const budget = 150_000
	if total > budget {
		t.Errorf("a page's JS + CSS is %d bytes, over the %d budget", total, budget)
	}
	t.Logf("JS + CSS of a page: %d bytes (budget %d)", total, budget)
}
