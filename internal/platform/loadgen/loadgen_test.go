package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestRunSendsEachRequestOnce: every index is sent once, from no more
// than the clients asked for, and the figures are filled in.
func TestRunSendsEachRequestOnce(t *testing.T) {
	var mu sync.Mutex
	seen, busy, most := map[string]int{}, 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Query().Get("i")]++
		busy++
		most = max(most, busy)
		mu.Unlock()
		defer func() { mu.Lock(); busy--; mu.Unlock() }()
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	st, err := Run(context.Background(), 500, 7, func(i int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, fmt.Sprintf("%s/?i=%d", srv.URL, i), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 500 || most > 7 || most < 1 {
		t.Fatalf("%d distinct requests, at most %d at once", len(seen), most)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("request %s sent %d times", i, n)
		}
	}
	if st.Requests != 500 || st.Rate <= 0 || st.P50 <= 0 || st.P99 < st.P50 {
		t.Fatalf("stats %+v", st)
	}
}

// TestRunReportsFailures: a run with failed requests is an error that
// counts them and shows the first; so is a request that cannot be built.
func TestRunReportsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("i") == "3" {
			http.Error(w, "no such dealer", http.StatusNotFound)
		}
	}))
	defer srv.Close()
	_, err := Run(context.Background(), 10, 2, func(i int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, fmt.Sprintf("%s/?i=%d", srv.URL, i), nil)
	})
	if err == nil || !strings.Contains(err.Error(), "1 of 10 requests failed") || !strings.Contains(err.Error(), "404 no such dealer") {
		t.Fatalf("one 404: %v", err)
	}
	_, err = Run(context.Background(), 4, 2, func(int) (*http.Request, error) { return nil, errors.New("no body") })
	if err == nil || !strings.Contains(err.Error(), "4 of 4 requests failed; the first: no body") {
		t.Fatalf("requests not built: %v", err)
	}
	if _, err := Run(context.Background(), 0, 2, nil); err == nil {
		t.Fatal("a run of no requests was accepted")
	}
}

// TestRunStopsWhenCancelled: once the context is done, no request is
// sent and the run returns the context's error.
func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	sent := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if sent++; sent == 5 {
			cancel()
		}
	}))
	defer srv.Close()
	_, err := Run(ctx, 1000, 1, func(int) (*http.Request, error) { return http.NewRequest(http.MethodGet, srv.URL, nil) })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if sent > 6 { // the one client's request under way may still arrive
		t.Fatalf("%d requests reached the server after the cancel at the fifth", sent)
	}
}
