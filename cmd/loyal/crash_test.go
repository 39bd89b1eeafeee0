package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestSIGKILLLosesNoAcknowledgedEarn builds the real binary, serves, sends
// earn requests from many clients, kills the server with SIGKILL in the
// middle of the load, starts it again, and checks that every earn the
// server acknowledged is there and that `loyal ledger check` passes.
func TestSIGKILLLosesNoAcknowledgedEarn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "loyal")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dir := t.TempDir()
			env := []string{"LOYAL_DATA_DIR=" + dir, "LOYAL_LOG_LEVEL=warn"}
			if e == store.Postgres {
				env = append(env, "LOYAL_DATABASE_URL="+storetest.DSN(t, e))
			}
			crashRun(t, bin, env)
		})
	}
}

func crashRun(t *testing.T, bin string, env []string) {
	loyal := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		return string(out), err
	}
	if _, err := loyal("admin", "tenant", "create", "--slug", "crash", "--name", "Crash Test"); err != nil {
		t.Fatal(err)
	}
	out, err := loyal("admin", "key", "create", "--tenant", "crash", "--name", "load", "--scope", "admin")
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(strings.TrimPrefix(out, "API key: "))

	srv, base := startServer(t, bin, env)
	c := &client{t: t, base: base, key: key}
	org := c.post("/v1/organizations", "", map[string]any{"type": "dealer", "name": "Load"})["id"]
	prog := c.post("/v1/programs", "", map[string]any{"name": "Club"})["id"]
	pt := c.post(fmt.Sprintf("/v1/programs/%v/point-types", prog), "", map[string]any{"code": "points", "name": "P", "unit": "points", "currency": "GBP"})["id"]

	var mu sync.Mutex
	acked := map[string]string{} // idempotency key → transaction id
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := fmt.Sprintf("load-%d-%d", w, i)
				id, ok := c.tryEarn(org, pt, k)
				if !ok {
					return // the server is gone
				}
				mu.Lock()
				acked[k] = id
				mu.Unlock()
			}
		}()
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 {
			break
		}
	}
	if err := srv.Process.Kill(); err != nil { // SIGKILL: no shutdown, no flush
		t.Fatal(err)
	}
	_ = srv.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no earn was acknowledged before the kill")
	}

	srv, base = startServer(t, bin, env)
	defer func() { _ = srv.Process.Kill() }()
	c.base = base
	for k, id := range acked {
		if got := c.status("/v1/transactions/" + id); got != 200 {
			t.Fatalf("acknowledged earn %s (transaction %s) is gone after the crash: status %d", k, id, got)
		}
	}
	w := c.get(fmt.Sprintf("/v1/organizations/%v/wallet", org))
	bal := w["balances"].([]any)[0].(map[string]any)["available"].(float64)
	if int(bal) < 10*len(acked) {
		t.Fatalf("balance %v after the crash is less than the %d acknowledged earns of 10", bal, len(acked))
	}
	if out, err := loyal("ledger", "check"); err != nil {
		t.Fatalf("ledger check after the crash: %v\n%s", err, out)
	}
	// SIGTERM, by contrast, is a graceful stop: the server exits 0.
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after SIGTERM the server exited with %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop within 15s of SIGTERM")
	}
	t.Logf("%d earns acknowledged before SIGKILL, all present after restart; balance %v; ledger check passes", len(acked), bal)
}

var addrRE = regexp.MustCompile(`running at (http://[0-9.:]+)`)

// startServer runs `loyal serve` on a free port and waits until it answers.
func startServer(t *testing.T, bin string, env []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--jobs-interval", "0")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return cmd, m[1]
		}
	}
	_ = cmd.Process.Kill()
	t.Fatal("the server did not say where it listens")
	return nil, ""
}

type client struct {
	t         *testing.T
	base, key string
}

func (c *client) do(method, path, idem string, body any) (*http.Response, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp, m, nil
}

func (c *client) post(path, idem string, body any) map[string]any {
	c.t.Helper()
	resp, m, err := c.do("POST", path, idem, body)
	if err != nil || resp.StatusCode != 201 {
		c.t.Fatalf("POST %s: %v %v", path, err, m)
	}
	return m
}

func (c *client) get(path string) map[string]any {
	c.t.Helper()
	resp, m, err := c.do("GET", path, "", nil)
	if err != nil || resp.StatusCode != 200 {
		c.t.Fatalf("GET %s: %v %v", path, err, m)
	}
	return m
}

func (c *client) status(path string) int {
	resp, _, err := c.do("GET", path, "", nil)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// tryEarn posts an earn; ok is false when the server did not answer 201.
func (c *client) tryEarn(org, pt any, key string) (string, bool) {
	resp, m, err := c.do("POST", "/v1/ledger/earn", key, map[string]any{
		"owner": map[string]any{"type": "organization", "id": org}, "point_type_id": pt, "amount": 10})
	if err != nil || resp.StatusCode != 201 {
		return "", false
	}
	id, _ := m["id"].(string)
	return id, id != ""
}
