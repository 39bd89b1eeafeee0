// Package push sends mobile push notifications through a provider. The
// product ships one provider, HTTP, shaped as Firebase Cloud Messaging's
// HTTP v1 API: a JSON POST of {"message": {"token", "notification":
// {"title", "body"}, "data"}} with a bearer token (for FCM, an OAuth access
// token; the URL is https://fcm.googleapis.com/v1/projects/<id>/messages:send).
// Tests use Recorder.
package push

import (
	"context"
	"errors"
	"fmt"
	"github.com/loyal-b2b/loyal/internal/platform/recorder"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/platform/jsonpost"
)

// Message is one notification to one device.
type Message struct {
	Token string            // the device's registration token
	Title string            //
	Body  string            //
	Data  map[string]string // e.g. the message id, a deep link
}

// Sender sends push notifications.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// HTTP posts each notification in FCM HTTP v1's shape.
type HTTP struct {
	URL    string
	Token  string
	Client *http.Client // nil: a 10-second timeout
}

type notification struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

type fcmMessage struct {
	Token        string            `json:"token"`
	Notification notification      `json:"notification"`
	Data         map[string]string `json:"data,omitempty"`
}

// ErrGone says the provider no longer knows the device token (the app
// was removed or its token renewed): the token should be forgotten.
var ErrGone = errors.New("push: the device token is no longer registered")

// Send posts m; any answer but 2xx is an error, ErrGone (wrapped) for
// FCM's answers about a dead token: 404 (UNREGISTERED) or 410.
func (h HTTP) Send(ctx context.Context, m Message) error {
	body := map[string]fcmMessage{"message": {Token: m.Token, Notification: notification{m.Title, m.Body}, Data: m.Data}}
	err := jsonpost.Post(ctx, h.Client, h.URL, h.Token, body)
	var se *jsonpost.StatusError
	if errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone || strings.Contains(se.Body, "UNREGISTERED")) {
		return fmt.Errorf("%w (%v)", ErrGone, err)
	}
	return err
}

// Recorder is a Sender for tests: it keeps what it was given.
type Recorder = recorder.Recorder[Message]
