package appletest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Push is one notification the fake APNs received.
type Push struct {
	Token, Topic, Body string
	HTTP2              bool
	ClientCert         string // the common name of the client certificate
}

// APNs is a fake APNs over HTTP/2 and TLS that requires a client
// certificate and records pushes. Tokens in Gone answer 410 Unregistered.
type APNs struct {
	Server *httptest.Server
	Roots  *x509.CertPool // trusts the server
	Gone   map[string]bool

	mu     sync.Mutex
	pushes []Push
}

// NewAPNs starts a fake APNs.
func NewAPNs(t testing.TB) *APNs {
	a := &APNs{Gone: map[string]bool{}}
	a.Server = httptest.NewUnstartedServer(http.HandlerFunc(a.serve))
	a.Server.EnableHTTP2 = true
	a.Server.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	a.Server.StartTLS()
	t.Cleanup(a.Server.Close)
	a.Roots = x509.NewCertPool()
	a.Roots.AddCert(a.Server.Certificate())
	return a
}

func (a *APNs) serve(w http.ResponseWriter, r *http.Request) {
	token, _ := strings.CutPrefix(r.URL.Path, "/3/device/")
	body := make([]byte, 64)
	n, _ := r.Body.Read(body)
	p := Push{Token: token, Topic: r.Header.Get("apns-topic"), Body: string(body[:n]), HTTP2: r.ProtoMajor == 2}
	if len(r.TLS.PeerCertificates) > 0 {
		p.ClientCert = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	a.mu.Lock()
	a.pushes = append(a.pushes, p)
	gone := a.Gone[token]
	a.mu.Unlock()
	if gone {
		w.WriteHeader(http.StatusGone)
		_, _ = w.Write([]byte(`{"reason":"Unregistered"}`))
	}
}

// Pushes returns the pushes received so far.
func (a *APNs) Pushes() []Push {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Push(nil), a.pushes...)
}
