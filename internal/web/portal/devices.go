package portal

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/notify"
)

// deviceRoutes let the portal, opened in a mobile app's web view or as an
// installed web app, register the device's push token for the signed-in
// member: a same-origin POST of the form fields token and platform
// (android, ios or web), answered 204. They render no page.
func (c *Portal) deviceRoutes(m *http.ServeMux) {
	m.HandleFunc("POST "+Root+"/devices", c.registerDevice)
	m.HandleFunc("POST "+Root+"/devices/unregister", c.unregisterDevice)
}

func (c *Portal) registerDevice(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	d := notify.Device{Token: r.PostFormValue("token"), Platform: r.PostFormValue("platform")}
	if _, err := c.svc.Messages.RegisterDevice(r.Context(), me.P, me.Member.ID, d); err != nil {
		c.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *Portal) unregisterDevice(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	if err := c.svc.Messages.UnregisterDevice(r.Context(), me.P, me.Member.ID, r.PostFormValue("token")); err != nil {
		c.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
