package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
)

var (
	signInPage = web.Page(files, "signin.html")
	forgotPage = web.Page(files, "forgot.html")
	setPwPage  = web.Page(files, "setpassword.html")
)

// signIn is the sign-in page's data.
type signIn struct {
	Form   *web.Form
	Locked bool
}

// publicRoutes are the pages of people not signed in.
func (c *Console) publicRoutes() {
	c.mux.HandleFunc("GET "+Root+"/sign-in", c.signInForm)
	c.mux.HandleFunc("POST "+Root+"/sign-in", c.signIn)
	c.mux.HandleFunc("GET "+Root+"/forgot", c.forgotForm)
	c.mux.HandleFunc("POST "+Root+"/forgot", c.forgot)
	c.mux.HandleFunc("GET "+Root+"/link/{purpose}/{slug}/{secret}", c.setPasswordForm)
	c.mux.HandleFunc("POST "+Root+"/link/{purpose}/{slug}/{secret}", c.setPassword)
	c.mux.HandleFunc("POST "+Root+"/language", c.language)
	c.mux.HandleFunc("GET "+Root, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Root+"/", http.StatusMovedPermanently)
	})
}

func (c *Console) signInForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("workspace", r.URL.Query().Get("workspace"))
	if f.Get("workspace") == "" {
		if ck, err := r.Cookie("loyal_workspace"); err == nil {
			f.Set("workspace", ck.Value)
		}
	}
	c.kit.Render(w, r, http.StatusOK, signInPage, c.view(r, "", "signin.title", signIn{Form: f}))
}

func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	l := c.kit.Locale(r)
	for _, name := range []string{"workspace", "email", "password"} {
		if f.Values.Get(name) == "" {
			f.Invalid(name, l.T("form.required"))
		}
	}
	if !f.Ok() {
		c.kit.Render(w, r, http.StatusUnprocessableEntity, signInPage, c.view(r, "", "signin.title", signIn{Form: f}))
		return
	}
	st, t, err := c.svc.Tenants.SignIn(r.Context(), tenant.SignInInput{Workspace: f.Get("workspace"), Email: f.Get("email"),
		Password: f.Values.Get("password"), Address: web.ClientAddress(r)})
	if err != nil {
		f.Set("password", "")
		status := web.StatusOf(err)
		switch errs.KindOf(err) {
		case errs.Unauthenticated:
			f.Error = l.T("signin.wrong")
		case errs.RateLimited:
			f.Error = l.T("signin.locked")
		default:
			f.Fail(err, nil)
		}
		c.kit.Render(w, r, status, signInPage, c.view(r, "", "signin.title", signIn{Form: f, Locked: errs.KindOf(err) == errs.RateLimited}))
		return
	}
	if err := c.kit.StartStaffSession(w, r, st); err != nil {
		c.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "loyal_workspace", Value: t.Slug, Path: Root, MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.kit.Secure})
	http.Redirect(w, r, back(r.URL.Query().Get("next"), Root+"/"), http.StatusSeeOther)
}

func (c *Console) forgotForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("workspace", r.URL.Query().Get("workspace"))
	c.kit.Render(w, r, http.StatusOK, forgotPage, c.view(r, "", "forgot.title", f))
}

// forgot sends a reset link and says the same whoever asked.
func (c *Console) forgot(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	l := c.kit.Locale(r)
	for _, name := range []string{"workspace", "email"} {
		if f.Get(name) == "" {
			f.Invalid(name, l.T("form.required"))
		}
	}
	if f.Ok() {
		if err := c.svc.Tenants.RequestReset(r.Context(), f.Get("workspace"), f.Get("email")); err != nil {
			c.kit.Render(w, r, f.Fail(err, nil), forgotPage, c.view(r, "", "forgot.title", f))
			return
		}
		v := c.view(r, "", "forgot.title", f)
		v.Flash = l.T("forgot.sent")
		c.kit.Render(w, r, http.StatusOK, forgotPage, v)
		return
	}
	c.kit.Render(w, r, http.StatusUnprocessableEntity, forgotPage, c.view(r, "", "forgot.title", f))
}

type setPw struct {
	Form    *web.Form
	Purpose string
}

func (c *Console) setPasswordForm(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("purpose")
	if p != tenant.PurposeReset && p != tenant.PurposeInvite {
		http.NotFound(w, r)
		return
	}
	c.kit.Render(w, r, http.StatusOK, setPwPage, c.view(r, "", "setpw.title."+p, setPw{Form: web.NewForm(), Purpose: p}))
}

// setPassword uses a reset or invitation link and signs the person in.
func (c *Console) setPassword(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("purpose")
	if p != tenant.PurposeReset && p != tenant.PurposeInvite {
		http.NotFound(w, r)
		return
	}
	f := web.ReadForm(r)
	l := c.kit.Locale(r)
	if f.Values.Get("password") != f.Values.Get("confirm") {
		f.Invalid("confirm", l.T("setpw.mismatch"))
	}
	var st tenant.Staff
	var err error
	if f.Ok() {
		st, _, err = c.svc.Tenants.UseToken(r.Context(), r.PathValue("slug"), r.PathValue("secret"), f.Values.Get("password"))
	}
	if !f.Ok() || err != nil {
		status := http.StatusUnprocessableEntity
		if err != nil {
			status = f.Fail(err, nil)
		}
		f.Set("password", "")
		f.Set("confirm", "")
		c.kit.Render(w, r, status, setPwPage, c.view(r, "", "setpw.title."+p, setPw{Form: f, Purpose: p}))
		return
	}
	if err := c.kit.StartStaffSession(w, r, st); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/?done=password", http.StatusSeeOther)
}

// language remembers the chosen language and goes back.
func (c *Console) language(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	c.kit.SetLanguage(w, r, r.PostForm.Get("lang"))
	http.Redirect(w, r, back(r.PostForm.Get("back"), Root+"/"), http.StatusSeeOther)
}
