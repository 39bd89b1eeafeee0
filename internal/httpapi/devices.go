package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
)

type deviceIn struct {
	IDPath
	Body struct {
		Token    string `json:"token" minLength:"1" maxLength:"4096" doc:"The registration token the push provider (FCM) gave the app on this device"`
		Platform string `json:"platform,omitempty" enum:"android,ios,web" doc:"The device's platform; default android"`
	}
}

type devicePath struct {
	IDPath
	Token string `path:"token" maxLength:"4096" doc:"The device's registration token"`
}

type devicesOut struct {
	Body struct {
		Items []notify.Device `json:"items" doc:"Oldest first"`
	}
}

// deviceRoutes let a mobile app register the device tokens that receive
// a person's push messages.
func (a *API) deviceRoutes() {
	const tag = "Messages"
	svc := a.svc.Notify
	handle(a, op("person-devices", http.MethodGet, "/v1/people/{id}/devices", tag, "A person's push devices", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*devicesOut, error) {
			ds, err := svc.Devices(ctx, p, in.ID)
			var o devicesOut
			o.Body.Items = append([]notify.Device{}, ds...)
			return &o, err
		})
	handle(a, op("register-device", http.MethodPost, "/v1/people/{id}/devices", tag, "Register a push device",
		"Needs the right to edit people. A mobile app registers the token its push provider gave it, so that the person's push messages "+
			"reach the device; registering a known token again (or for another person) replaces the earlier record. At most 20 per person; "+
			"a token the provider reports gone is forgotten when a push finds out."),
		func(ctx context.Context, p access.Principal, in *deviceIn) (*bodyOut[notify.Device], error) {
			d, err := svc.RegisterDevice(ctx, p, in.ID, notify.Device{Token: in.Body.Token, Platform: in.Body.Platform})
			return out(d), err
		})
	handle(a, op("unregister-device", http.MethodDelete, "/v1/people/{id}/devices/{token}", tag, "Unregister a push device",
		"Needs the right to edit people. The app signed out or the person turned push off on this device."),
		func(ctx context.Context, p access.Principal, in *devicePath) (*struct{}, error) {
			return nil, svc.UnregisterDevice(ctx, p, in.ID, in.Token)
		})
}
