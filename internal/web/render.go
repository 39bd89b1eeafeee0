package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

//go:embed templates/*.html
var base embed.FS

// Template is one page: the layout and partials with the page's own file,
// which defines "title" and "main" (and any fragments htmx swaps).
type Template struct{ t *template.Template }

// Page parses a page's template file from an area's files. Call it once,
// at package initialization (var fooPage = web.Page(files, "foo.html")).
func Page(fsys fs.FS, name string) *Template {
	t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(base, "templates/*.html"))
	return &Template{template.Must(t.ParseFS(fsys, name))}
}

// funcs are the few helpers templates need besides View's methods.
var funcs = template.FuncMap{
	// list makes a slice for range in a template: {{range list "a" "b"}}.
	"list": func(v ...any) []any { return v },
	// asset is an asset's versioned URL.
	"asset": Asset,
}

// View is what every page's template receives: the page's own data in
// Page, and what the layout needs.
type View struct {
	L     *i18n.Locale
	Zone  *time.Location
	User  *User // nil on pages for people not signed in
	Nav   string
	Menu  []MenuItem // the area's navigation
	Area  string     // the area's root, e.g. "/admin"
	Title string
	Page  any
	Flash string
	Path  string
	Now   time.Time
	// Version is the release, for the footer.
	Version string
	langs   []LangOption
}

// LangOption is a language the user may choose.
type LangOption struct{ Code, Name string }

// Languages lists the languages to choose from, each in its own name.
func (v *View) Languages() []LangOption { return v.langs }

// MenuItem is one entry of an area's navigation.
type MenuItem struct {
	Href, Label, Key string
	Current          bool
	Items            []MenuItem // a group's entries (then Href is empty)
}

// User is the signed-in person, as the layout shows them.
type User struct {
	Name      string
	Email     string
	Role      access.Role
	Workspace string
	Principal access.Principal
}

// Can reports whether the user's role allows an action, so that pages
// offer only what the user may do (the services check again).
func (u *User) Can(action string) bool {
	return u != nil && u.Principal.Can(access.Action(action)) == nil
}

// Date formats a time in the tenant's zone.
func (v *View) Date(t time.Time) string { return v.L.Date(t, v.Zone) }

// Day formats a date in the tenant's zone.
func (v *View) Day(t time.Time) string { return v.L.Day(t, v.Zone) }

// Ago says how long ago t was.
func (v *View) Ago(t time.Time) string { return v.L.Since(t, v.Now) }

// Render writes a page with the layout.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, t *Template, v *View) {
	k.render(w, r, status, t, "layout.html", v)
}

// Fragment writes one named template of a page without the layout, for
// htmx to swap in.
func (k *Kit) Fragment(w http.ResponseWriter, r *http.Request, t *Template, name string, v *View) {
	k.render(w, r, http.StatusOK, t, name, v)
}

func (k *Kit) render(w http.ResponseWriter, r *http.Request, status int, t *Template, name string, v *View) {
	k.fill(r, v)
	var buf bytes.Buffer
	if err := t.t.ExecuteTemplate(&buf, name, v); err != nil {
		k.logError(r.Context(), "render "+name, err)
		http.Error(w, "Something went wrong on our side; it has been logged.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fill completes a view with the request's locale, user and time.
func (k *Kit) fill(r *http.Request, v *View) {
	if v.L == nil {
		v.L = k.Locale(r)
	}
	if v.User == nil {
		v.User = userOf(r.Context())
	}
	if v.Zone == nil {
		v.Zone = i18n.Zone("")
	}
	if v.Now.IsZero() {
		v.Now = k.now()
	}
	v.Path, v.Version = r.URL.Path, k.Version
	for _, c := range k.Catalog.Languages() {
		v.langs = append(v.langs, LangOption{Code: c, Name: k.Catalog.Locale(c).Name()})
	}
}

// StatusOf is the HTTP status of a service error on a page.
func StatusOf(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}
