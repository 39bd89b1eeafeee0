package web

import (
	"embed"
	"net/http"
)

//go:embed landing/*.html
var landingFiles embed.FS

var landingPage = Page(landingFiles, "landing/landing.html")

// Landing is the page at /: where to go from here (the console, the API
// reference; the members' portal when it exists).
func Landing(k *Kit) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := k.Locale(r)
		k.Render(w, r, http.StatusOK, landingPage, &View{L: l, Title: "Loyal"})
	})
}
