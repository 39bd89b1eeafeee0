package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets/*.js assets/*.css
var assetFiles embed.FS

// assetVersion is a short hash of each asset's content: asset URLs carry
// it, so browsers may cache them long and still see a new release.
var assetVersion = func() map[string]string {
	out := map[string]string{}
	entries, _ := fs.ReadDir(assetFiles, "assets")
	for _, e := range entries {
		b, _ := assetFiles.ReadFile("assets/" + e.Name())
		sum := sha256.Sum256(b)
		out[e.Name()] = hex.EncodeToString(sum[:4])
	}
	return out
}()

// Asset returns an asset's URL with its version.
func Asset(name string) string { return "/assets/" + name + "?v=" + assetVersion[name] }

// AssetNames lists the embedded assets (for the size budget test).
func AssetNames() []string {
	var out []string
	for n := range assetVersion {
		out = append(out, n)
	}
	return out
}

// AssetSize returns an asset's size in bytes.
func AssetSize(name string) int {
	b, _ := assetFiles.ReadFile("assets/" + name)
	return len(b)
}

// Assets serves the embedded assets under /assets/.
func Assets() http.Handler {
	return headers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/assets/")
		b, err := assetFiles.ReadFile("assets/" + name)
		if err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("ETag", `"`+assetVersion[name]+`"`)
		if r.Header.Get("If-None-Match") == `"`+assetVersion[name]+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(b)
	}))
}
