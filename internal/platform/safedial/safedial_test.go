package safedial_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/safedial"
)

func TestPublic(t *testing.T) {
	for s, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true, "127.0.0.1": false, "::1": false, "10.1.2.3": false,
		"172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false, "fe80::1": false, "fc00::1": false,
		"100.64.0.1": false, "0.0.0.0": false, "::ffff:127.0.0.1": false, "224.0.0.1": false, "::": false,
	} {
		if got := safedial.Public(netip.MustParseAddr(s)); got != want {
			t.Errorf("Public(%s) = %v", s, got)
		}
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []string{"ftp://x.example", "https://", "https://u:p@8.8.8.8/", "http://127.0.0.1:8080/h", "http://[::1]/", "http://169.254.169.254/latest", "http://localhost/x"} {
		if err := safedial.CheckURL(ctx, bad, false); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := safedial.CheckURL(ctx, "https://8.8.8.8/hook", false); err != nil {
		t.Error(err)
	}
	if err := safedial.CheckURL(ctx, "http://127.0.0.1:8080/h", true); err != nil {
		t.Errorf("allowed private refused: %v", err)
	}
}

// The dial-time check catches what the save-time check cannot see: a
// name that resolves to a loopback address when the request is made.
func TestClientRefusesPrivateAtDial(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, err := safedial.Client(time.Second, false).Get(srv.URL)
	if !errors.Is(err, safedial.ErrPrivate) {
		t.Fatalf("a loopback connection was not refused: %v", err)
	}
	resp, err := safedial.Client(time.Second, true).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
