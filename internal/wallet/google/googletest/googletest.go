// Package googletest fakes what Google Wallet needs in tests: a service
// account key file, and a Wallet API server (with its token endpoint)
// that records what it is sent.
package googletest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// IssuerID of test passes.
const IssuerID = "3388000000012345678"

// Account is a test service account.
type Account struct {
	Key     *rsa.PrivateKey
	KeyFile string
}

// NewAccount writes a service-account key file whose token endpoint is
// tokenURI.
func NewAccount(t testing.TB, tokenURI string) Account {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	sa := map[string]string{"type": "service_account", "client_email": "wallet@loyal-test.iam.gserviceaccount.com", "private_key_id": "k1",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "token_uri": tokenURI}
	b, _ := json.Marshal(sa)
	file := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return Account{Key: key, KeyFile: file}
}

// Request is one request the fake API received.
type Request struct {
	Method, Path, Auth string
	Body               []byte
}

// Server is a fake Wallet API.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	known    map[string]bool // resources created so far
}

// NewServer starts a fake Wallet API; its token endpoint is URL+"/token".
func NewServer(t testing.TB) *Server {
	s := &Server{known: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body})
	switch {
	case r.URL.Path == "/token":
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"fake-token","expires_in":3600,"token_type":"Bearer"}`))
	case r.Method == http.MethodPut && !s.known[r.URL.Path]:
		http.Error(w, `{"error":{"code":404}}`, http.StatusNotFound)
	case r.Method == http.MethodPut, r.Method == http.MethodPost:
		var v struct{ ID string }
		_ = json.Unmarshal(body, &v)
		s.known[r.URL.Path] = true
		s.known[strings.TrimSuffix(r.URL.Path, "/")+"/"+v.ID] = true
		_, _ = w.Write(body)
	default:
		http.Error(w, "unexpected", http.StatusBadRequest)
	}
}

// Requests returns what the server received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}
