package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/web"
)

func (c *Console) accountRoutes(m *http.ServeMux) {
	m.HandleFunc("POST "+Root+"/sign-out", c.signOut)
	m.HandleFunc("POST "+Root+"/sign-out-everywhere", c.signOutEverywhere)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	c.kit.EndSession(w, r)
	http.Redirect(w, r, Root+"/sign-in?done=signed_out", http.StatusSeeOther)
}

// signOutEverywhere ends every session of the user, this one included.
func (c *Console) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	if _, err := c.kit.Sessions.EndAllOf(r.Context(), p.TenantID, session.Staff, p.StaffID, session.Session{}); err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.EndSession(w, r)
	http.Redirect(w, r, Root+"/sign-in?done=signed_out_everywhere", http.StatusSeeOther)
}
