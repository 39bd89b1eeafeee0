package web

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/session"
)

// memberCookie holds a member's portal session, apart from the console's,
// so one browser may be signed in to both.
const memberCookie = "loyal_member"

func (k *Kit) memberCookie() string {
	if k.Secure {
		return "__Host-" + memberCookie
	}
	return memberCookie
}

// MemberLink makes the address of a member's sign-in link
// (memberauth.Links).
func (k *Kit) MemberLink(slug, secret string) string {
	return k.PublicURL + "/p/" + slug + "/link/" + secret
}

// StartMemberSession signs a member in to the portal: a new session (never
// one the browser brought), its cookie, and the previous session ended.
func (k *Kit) StartMemberSession(w http.ResponseWriter, r *http.Request, tenantID, memberID string) error {
	return k.startSession(w, r, k.memberCookie(), tenantID, session.Member, memberID)
}

// EndMemberSession signs the member's browser out of the portal.
func (k *Kit) EndMemberSession(w http.ResponseWriter, r *http.Request) {
	k.endSession(w, r, k.memberCookie())
}

// MemberOnly lets through requests with a live member session, with the
// member's principal (access.Member) and the session in the context;
// others go to signIn (htmx requests get 401 with HX-Redirect).
func (k *Kit) MemberOnly(signIn string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ses, err := k.memberSession(r)
		if err != nil {
			k.sendToSignIn(w, r, k.memberCookie(), signIn, err)
			return
		}
		p := access.Member(ses.TenantID, ses.SubjectID)
		ctx := context.WithValue(r.Context(), sessionKey{}, ses)
		next.ServeHTTP(w, r.WithContext(access.With(ctx, p)))
	})
}

func (k *Kit) memberSession(r *http.Request) (session.Session, error) {
	c, err := r.Cookie(k.memberCookie())
	if err != nil {
		return session.Session{}, errs.E(errs.Unauthenticated, "no_session", "not signed in")
	}
	ses, err := k.Sessions.Find(r.Context(), c.Value)
	if err == nil && ses.SubjectKind != session.Member {
		err = errs.E(errs.Unauthenticated, "no_session", "not a member session")
	}
	return ses, err
}

// MemberPrincipal returns the signed-in member's principal; handlers
// behind MemberOnly always have one.
func MemberPrincipal(r *http.Request) access.Principal {
	p, _ := access.From(r.Context())
	if !p.IsMember() {
		return access.Principal{}
	}
	return p
}

// MemberOf tells who is signed in to the portal on a request outside the
// portal's own handler (the wallet downloads under /p/wallet/).
func (k *Kit) MemberOf(r *http.Request) (tenantID, memberID string, ok bool) {
	ses, err := k.memberSession(r)
	if err != nil {
		return "", "", false
	}
	return ses.TenantID, ses.SubjectID, true
}
