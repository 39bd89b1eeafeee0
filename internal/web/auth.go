package web

import (
	"context"
	"net"
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// Cookie names. Under TLS the session cookie takes the __Host- prefix,
// which browsers only accept with Secure, Path=/ and no Domain.
const (
	staffCookie = "loyal_staff"
	langCookie  = "loyal_lang"
)

func (k *Kit) sessionCookie() string {
	if k.Secure {
		return "__Host-" + staffCookie
	}
	return staffCookie
}

// setCookie writes a cookie the page's script cannot read, sent only to
// this site (SameSite=Lax keeps links from e-mail working), Secure under
// TLS.
func (k *Kit) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: k.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

type userKey struct{}
type sessionKey struct{}

// userOf returns the signed-in user of ctx, or nil.
func userOf(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// Principal returns the signed-in staff user's principal; handlers behind
// RequireStaff always have one.
func Principal(r *http.Request) access.Principal {
	if u := userOf(r.Context()); u != nil {
		return u.Principal
	}
	return access.Principal{}
}

// CurrentSession returns the session of the request, if any.
func CurrentSession(r *http.Request) (session.Session, bool) {
	s, ok := r.Context().Value(sessionKey{}).(session.Session)
	return s, ok
}

// StartStaffSession signs a staff user in: a new session (never one the
// browser brought), its cookie, and the previous session ended.
func (k *Kit) StartStaffSession(w http.ResponseWriter, r *http.Request, st tenant.Staff) error {
	return k.startSession(w, r, k.sessionCookie(), st.TenantID, session.Staff, st.ID)
}

// startSession begins a session of a subject under a cookie, ending the
// one the browser brought in it: signing in never reuses a session id.
func (k *Kit) startSession(w http.ResponseWriter, r *http.Request, cookie, tenantID, kind, subjectID string) error {
	if old, err := r.Cookie(cookie); err == nil {
		if s, err := k.Sessions.Find(r.Context(), old.Value); err == nil {
			_ = k.Sessions.End(r.Context(), s)
		}
	}
	value, _, err := k.Sessions.Start(r.Context(), tenantID, kind, subjectID, r.UserAgent(), ClientAddress(r))
	if err != nil {
		return err
	}
	k.setCookie(w, r, cookie, value, 0)
	return nil
}

// EndSession signs the browser out.
func (k *Kit) EndSession(w http.ResponseWriter, r *http.Request) {
	k.endSession(w, r, k.sessionCookie())
}

// endSession ends the request's session and clears its cookie.
func (k *Kit) endSession(w http.ResponseWriter, r *http.Request, cookie string) {
	if s, ok := CurrentSession(r); ok {
		if err := k.Sessions.End(r.Context(), s); err != nil {
			k.logError(r.Context(), "end session", err)
		}
	}
	k.setCookie(w, r, cookie, "", -1)
}

// StaffOnly lets through requests of a signed-in, active staff user, with
// the user's principal in the context; others go to the sign-in page (a
// page) or get 401 (an htmx request, which cannot follow a redirect into
// a full page).
func (k *Kit) StaffOnly(signIn string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ses, err := k.staff(r)
		if err != nil {
			k.sendToSignIn(w, r, k.sessionCookie(), signIn, err)
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), userKey{}, u), sessionKey{}, ses)
		next.ServeHTTP(w, r.WithContext(access.With(ctx, u.Principal)))
	})
}

// sendToSignIn answers a request without a live session: the dead cookie
// is cleared and the browser sent to signIn (an htmx request, which cannot
// follow a redirect into a full page, gets 401 with HX-Redirect). Only
// unexpected failures are logged: an expired session is not news.
func (k *Kit) sendToSignIn(w http.ResponseWriter, r *http.Request, cookie, signIn string, err error) {
	if errs.KindOf(err) != errs.Unauthenticated {
		k.logError(r.Context(), "session", err)
	}
	k.setCookie(w, r, cookie, "", -1)
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", signIn)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, signIn, http.StatusSeeOther)
}

func (k *Kit) staff(r *http.Request) (*User, session.Session, error) {
	c, err := r.Cookie(k.sessionCookie())
	if err != nil {
		return nil, session.Session{}, errs.E(errs.Unauthenticated, "no_session", "not signed in")
	}
	ses, err := k.Sessions.Find(r.Context(), c.Value)
	if err != nil {
		return nil, ses, err
	}
	if ses.SubjectKind != session.Staff {
		return nil, ses, errs.E(errs.Unauthenticated, "no_session", "not a staff session")
	}
	p, st, t, err := k.Tenants.StaffPrincipal(r.Context(), ses.TenantID, ses.SubjectID, ses.CreatedAt)
	if err != nil {
		return nil, ses, err
	}
	return &User{Name: st.Name, Email: st.Email, Role: st.Role, Workspace: t.Name, Principal: p}, ses, nil
}

// ClientAddress is the client's IP address (the connection's peer; a
// proxy in front should be configured to pass the real one).
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Locale is the request's language: the remembered choice, else the
// browser's preference.
func (k *Kit) Locale(r *http.Request) *i18n.Locale {
	choice := ""
	if c, err := r.Cookie(langCookie); err == nil {
		choice = c.Value
	}
	return k.Catalog.Match(choice, r.Header.Get("Accept-Language"))
}

// SetLanguage remembers a language choice for a year.
func (k *Kit) SetLanguage(w http.ResponseWriter, r *http.Request, code string) {
	if !slices.Contains(k.Catalog.Languages(), code) {
		return
	}
	k.setCookie(w, r, langCookie, code, 365*24*3600)
}
