package admin

import (
	"sort"
	"strings"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/web/defform"
)

// change is one field of a definition that differs between two versions.
type change struct {
	Path, Before, After string
}

// diffDefinitions lists, field by field, what a version changed from the
// one before it: the form's field paths ("rules[1].effects[0].percent_bp"),
// so a reader sees the setting, not the JSON text around it.
func diffDefinitions(before, after engine.Definition) []change {
	a, b := defform.Encode(before).Values(), defform.Encode(after).Values()
	paths := map[string]bool{}
	for k := range a {
		paths[k] = true
	}
	for k := range b {
		paths[k] = true
	}
	var out []change
	for p := range paths {
		if strings.Contains(p, "._") { // the form's own markers
			continue
		}
		if x, y := a.Get(p), b.Get(p); x != y {
			out = append(out, change{Path: p, Before: x, After: y})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
