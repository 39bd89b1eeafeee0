package portal

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path"
	"sync"
)

// The web app: a manifest so the portal installs to the home screen, its
// icons, and the service worker that keeps the card for offline use.
func (c *Portal) appRoutes() {
	c.mux.HandleFunc("GET "+Root+"/manifest.webmanifest", c.manifest)
	c.mux.HandleFunc("GET "+Root+"/sw.js", c.static("sw.js", "text/javascript; charset=utf-8"))
	c.mux.HandleFunc("GET "+Root+"/static/icon.svg", c.static("icon.svg", "image/svg+xml"))
	c.mux.HandleFunc("GET "+Root+"/static/icons/{size}", c.icon)
}

func (c *Portal) manifest(w http.ResponseWriter, r *http.Request) {
	l := c.kit.Locale(r)
	m := map[string]any{
		"name": l.T("portal.app.name"), "short_name": l.T("portal.app.short"), "start_url": Root + "/", "scope": Root + "/",
		"display": "standalone", "background_color": "#ffffff", "theme_color": "#1d4ed8", "lang": l.Code, "dir": l.Dir(),
		"icons": []map[string]string{
			{"src": Root + "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
			{"src": Root + "/static/icons/192.png", "sizes": "192x192", "type": "image/png"},
			{"src": Root + "/static/icons/512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	}
	w.Header().Set("Content-Type", "application/manifest+json")
	_ = json.NewEncoder(w).Encode(m)
}

// static serves an embedded file of static/.
func (c *Portal) static(name, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := files.ReadFile(path.Join("static", name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-cache") // a new service worker takes over at once
		_, _ = w.Write(b)
	}
}

var icons sync.Map // size → PNG bytes

// icon serves the app icon as a PNG of 192 or 512 pixels: the brand
// colour with a white disc, drawn once.
func (c *Portal) icon(w http.ResponseWriter, r *http.Request) {
	n := map[string]int{"192.png": 192, "512.png": 512}[r.PathValue("size")]
	if n == 0 {
		http.NotFound(w, r)
		return
	}
	b, ok := icons.Load(n)
	if !ok {
		b, _ = icons.LoadOrStore(n, drawIcon(n))
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b.([]byte))
}

func drawIcon(n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	blue, white := color.RGBA{0x1d, 0x4e, 0xd8, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}
	r := float64(n) * 0.28
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x)-float64(n)/2, float64(y)-float64(n)/2
			img.Set(x, y, blue)
			if dx*dx+dy*dy <= r*r {
				img.Set(x, y, white)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
