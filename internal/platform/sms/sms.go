// Package sms sends text messages through a provider. The product ships
// one provider, HTTP: a generic JSON POST ({"to": "+7…", "text": "…"}) to a
// configured URL with a bearer token, which most SMS gateways accept
// directly or through a small adapter. Tests use Recorder.
package sms

import (
	"context"
	"github.com/loyal-b2b/loyal/internal/platform/recorder"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/platform/jsonpost"
)

// Message is one text to one phone number (E.164).
type Message struct {
	To   string `json:"to"`
	Text string `json:"text"`
}

// Sender sends text messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// HTTP posts each message as JSON to URL with "Authorization: Bearer Token".
type HTTP struct {
	URL    string
	Token  string
	Client *http.Client // nil: a 10-second timeout
}

// Send posts m; any answer but 2xx is an error.
func (h HTTP) Send(ctx context.Context, m Message) error {
	return jsonpost.Post(ctx, h.Client, h.URL, h.Token, m)
}

// Recorder is a Sender for tests: it keeps what it was given.
type Recorder = recorder.Recorder[Message]
