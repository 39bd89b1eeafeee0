package portal

import (
	"net/http"
	"net/url"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/web"
)

var (
	signInPage = parse("signin.html")
	codePage   = parse("code.html")
	linkPage   = parse("link.html")
)

// wsCookie remembers the workspace a member signed in to, so /p/sign-in
// (where a lapsed session lands) knows where to go.
const wsCookie = "loyal_ws"

// signIn is the sign-in pages' data.
type signIn struct {
	Slug string
	Form *web.Form
}

// publicRoutes are the pages of people not signed in.
func (c *Portal) publicRoutes() {
	c.mux.HandleFunc("GET "+Root+"/sign-in", c.signInAny)
	c.mux.HandleFunc("GET "+Root+"/{slug}/sign-in", c.signInForm)
	c.mux.HandleFunc("POST "+Root+"/{slug}/sign-in", c.requestCode)
	c.mux.HandleFunc("POST "+Root+"/{slug}/code", c.enterCode)
	c.mux.HandleFunc("GET "+Root+"/{slug}/link/{secret}", c.linkForm)
	c.mux.HandleFunc("POST "+Root+"/{slug}/link/{secret}", c.useLink)
	c.mux.HandleFunc("POST "+Root+"/language", c.language)
	c.mux.HandleFunc("GET "+Root, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Root+"/", http.StatusMovedPermanently)
	})
}

// signInAny sends to the remembered workspace's sign-in, or asks for it.
func (c *Portal) signInAny(w http.ResponseWriter, r *http.Request) {
	slug := r.URL.Query().Get("workspace")
	if ck, err := r.Cookie(wsCookie); err == nil && slug == "" {
		slug = ck.Value
	}
	if slug != "" {
		http.Redirect(w, r, Root+"/"+url.PathEscape(slug)+"/sign-in", http.StatusSeeOther)
		return
	}
	c.kit.Render(w, r, http.StatusOK, signInPage, c.view(r, nil, "", "portal.signin.title", signIn{Form: web.NewForm()}))
}

func (c *Portal) signInForm(w http.ResponseWriter, r *http.Request) {
	c.kit.Render(w, r, http.StatusOK, signInPage, c.view(r, nil, "", "portal.signin.title", signIn{Slug: r.PathValue("slug"), Form: web.NewForm()}))
}

// requestCode sends a code and shows where to type it. The page is the
// same whether or not the address is a member's.
func (c *Portal) requestCode(w http.ResponseWriter, r *http.Request) {
	f, slug := web.ReadForm(r), r.PathValue("slug")
	err := c.svc.Auth.RequestCode(r.Context(), slug, f.Get("address"), web.ClientAddress(r))
	if err != nil {
		status := f.Fail(err, nil)
		c.kit.Render(w, r, status, signInPage, c.view(r, nil, "", "portal.signin.title", signIn{Slug: slug, Form: f}))
		return
	}
	code := web.NewForm()
	code.Set("address", f.Get("address"))
	c.kit.Render(w, r, http.StatusOK, codePage, c.view(r, nil, "", "portal.code.title", signIn{Slug: slug, Form: code}))
}

// enterCode checks the code and signs the member in.
func (c *Portal) enterCode(w http.ResponseWriter, r *http.Request) {
	f, slug, l := web.ReadForm(r), r.PathValue("slug"), c.kit.Locale(r)
	m, t, err := c.svc.Auth.Verify(r.Context(), slug, f.Get("address"), f.Get("code"), web.ClientAddress(r))
	if err != nil {
		status := web.StatusOf(err)
		switch errs.KindOf(err) {
		case errs.Unauthenticated:
			f.Invalid("code", l.T("portal.code.wrong"))
		case errs.RateLimited:
			f.Error = l.T("portal.code.slow")
		default:
			status = f.Fail(err, nil)
		}
		f.Set("code", "")
		c.kit.Render(w, r, status, codePage, c.view(r, nil, "", "portal.code.title", signIn{Slug: slug, Form: f}))
		return
	}
	c.signedIn(w, r, t.ID, t.Slug, m.ID)
}

func (c *Portal) linkForm(w http.ResponseWriter, r *http.Request) {
	c.kit.Render(w, r, http.StatusOK, linkPage, c.view(r, nil, "", "portal.link.title", signIn{Slug: r.PathValue("slug"), Form: web.NewForm()}))
}

// useLink signs in with a link. It is a form posted from the link's page,
// not the GET itself, so a mail scanner opening links spends nothing.
func (c *Portal) useLink(w http.ResponseWriter, r *http.Request) {
	m, t, err := c.svc.Auth.UseLink(r.Context(), r.PathValue("slug"), r.PathValue("secret"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.signedIn(w, r, t.ID, t.Slug, m.ID)
}

// signedIn starts the member's session and opens the card.
func (c *Portal) signedIn(w http.ResponseWriter, r *http.Request, tenantID, slug, memberID string) {
	if err := c.kit.StartMemberSession(w, r, tenantID, memberID); err != nil {
		c.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: wsCookie, Value: slug, Path: Root, MaxAge: 365 * 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.kit.Secure})
	http.Redirect(w, r, Root+"/", http.StatusSeeOther)
}

func (c *Portal) signOut(w http.ResponseWriter, r *http.Request) {
	c.kit.EndMemberSession(w, r)
	http.Redirect(w, r, Root+"/sign-in", http.StatusSeeOther)
}

// language remembers the chosen language and goes back.
func (c *Portal) language(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	c.kit.SetLanguage(w, r, r.PostForm.Get("lang"))
	http.Redirect(w, r, back(r.PostForm.Get("back"), Root+"/"), http.StatusSeeOther)
}
