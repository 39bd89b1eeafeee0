package web

import (
	"html/template"
	"io/fs"
)

// PageOf parses a page's template file with partials its area shares
// (the portal's navigation, say), after the layout. Call it once, at
// package initialization.
func PageOf(fsys fs.FS, name string, shared ...string) *Template {
	t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(base, "templates/*.html"))
	for _, s := range shared {
		t = template.Must(t.ParseFS(fsys, s))
	}
	return &Template{template.Must(t.ParseFS(fsys, name))}
}
