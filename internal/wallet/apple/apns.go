package apple

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Pusher tells a device that a pass it holds changed; the device then
// asks the web service which passes changed and fetches them.
type Pusher interface {
	Push(ctx context.Context, pushToken string) error
}

// ErrUnregistered is a push token APNs no longer knows (the pass was
// removed or the device reset): its registration should go.
var ErrUnregistered = errors.New("apns: the device token is no longer registered")

// Production is APNs' address for Wallet passes.
const Production = "https://api.push.apple.com"

// APNs pushes over HTTP/2, authenticated by the pass certificate itself
// (Wallet pushes need no separate APNs key), with the pass type id as
// the topic and an empty payload.
type APNs struct {
	URL    string
	Topic  string
	Client *http.Client
}

// NewAPNs returns a client of APNs at base (Production unless testing);
// roots, when not nil, replaces the system's trusted roots (tests).
func NewAPNs(s *Signer, base string, roots *x509.CertPool) *APNs {
	cert := tls.Certificate{Certificate: [][]byte{s.Cert.Raw, s.Intermediate.Raw}, PrivateKey: s.Key, Leaf: s.Cert}
	tr := &http.Transport{ForceAttemptHTTP2: true, TLSClientConfig: &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: roots,
		MinVersion: tls.VersionTLS12}, IdleConnTimeout: 5 * time.Minute}
	return &APNs{URL: strings.TrimRight(base, "/"), Topic: s.PassTypeID, Client: &http.Client{Transport: tr, Timeout: 15 * time.Second}}
}

// Push sends one device the empty notification Wallet expects.
func (a *APNs) Push(ctx context.Context, pushToken string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL+"/3/device/"+url.PathEscape(pushToken), strings.NewReader("{}"))
	if err != nil {
		return err
	}
	req.Header.Set("apns-topic", a.Topic)
	req.Header.Set("content-type", "application/json")
	res, err := a.Client.Do(req)
	if err != nil {
		return fmt.Errorf("apns: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	switch {
	case res.StatusCode == http.StatusOK:
		return nil
	case res.StatusCode == http.StatusGone || strings.Contains(string(body), "BadDeviceToken"):
		return ErrUnregistered
	}
	return fmt.Errorf("apns: status %d: %s", res.StatusCode, strings.TrimSpace(string(body)))
}
