package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// The portal, opened in a mobile app, registers the device's push token
// for the signed-in member and unregisters it; a bad token is refused.
func TestMemberRegistersPushDevice(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser().signIn(s.foreman)
		if r := b.post("/p/devices", url.Values{"token": {"fcm-token-1"}, "platform": {"android"}}); r.status != http.StatusNoContent {
			t.Fatalf("register: %d %s", r.status, r.body)
		}
		ds, err := s.app.Notify.Devices(context.Background(), s.sys, s.foreman.ID)
		must(t, err)
		if len(ds) != 1 || ds[0].Token != "fcm-token-1" || ds[0].Platform != "android" {
			t.Fatalf("devices %+v", ds)
		}
		if r := b.post("/p/devices", url.Values{"token": {""}}); r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
			t.Fatalf("an empty token: %d", r.status)
		}
		if r := b.post("/p/devices/unregister", url.Values{"token": {"fcm-token-1"}}); r.status != http.StatusNoContent {
			t.Fatalf("unregister: %d %s", r.status, r.body)
		}
		ds, err = s.app.Notify.Devices(context.Background(), s.sys, s.foreman.ID)
		must(t, err)
		if len(ds) != 0 {
			t.Fatalf("devices after unregistering: %+v", ds)
		}
	})
}
