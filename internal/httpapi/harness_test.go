package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/httpapi"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// env is a running API over a real database with two tenants, each with an
// admin key: "acme" (A, the one tests act in) and "bravo" (B, the intruder).
type env struct {
	t     *testing.T
	app   *app.App
	api   *httpapi.API
	clock *clock.Fake
	keyA  string
	keyB  string
	tidA  string
}

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// each runs fn against a fresh API on every engine.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db)) })
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	clk := clock.NewFake(epoch)
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
	e := &env{t: t, app: a, api: a.Handler("test"), clock: clk}
	e.tidA, e.keyA = e.tenantWithKey("acme", access.ScopeAdmin)
	_, e.keyB = e.tenantWithKey("bravo", access.ScopeAdmin)
	return e
}

// tenantWithKey creates a tenant and a key of the given scope in it.
func (e *env) tenantWithKey(slug string, scope access.Scope) (string, string) {
	e.t.Helper()
	ctx := context.Background()
	tn, err := e.app.Tenants.CreateTenant(ctx, slug, strings.ToUpper(slug[:1])+slug[1:]+" Ltd")
	if err != nil {
		e.t.Fatal(err)
	}
	return tn.ID, e.key(tn.ID, scope, "")
}

// key creates an API key in a tenant, optionally for a staff user.
func (e *env) key(tenantID string, scope access.Scope, staffID string) string {
	e.t.Helper()
	_, secret, err := e.app.Tenants.CreateKey(context.Background(), access.System(tenantID), tenant.KeyInput{Name: "test " + string(scope), Scope: scope, StaffID: staffID})
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// resp is a recorded response.
type resp struct {
	t      *testing.T
	Status int
	Header http.Header
	Body   []byte
}

// do sends a request; body may be nil, a string (sent as is) or a value
// (sent as JSON). headers are name, value pairs.
func (e *env) do(method, path, key string, body any, headers ...string) *resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.serve(req, key, headers...)
}

// serve sends a request with a key and headers (name, value pairs).
func (e *env) serve(req *http.Request, key string, headers ...string) *resp {
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	return &resp{t: e.t, Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// must checks the status and decodes the body into v (if not nil).
func (r *resp) must(status int, v any) *resp {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.short())
	}
	if v != nil {
		if err := json.Unmarshal(r.Body, v); err != nil {
			r.t.Fatalf("decode %s: %v", r.short(), err)
		}
	}
	return r
}

// short is the body, cut to a readable length for failure messages.
func (r *resp) short() string {
	if len(r.Body) > 1500 {
		return string(r.Body[:1500]) + "…"
	}
	return string(r.Body)
}

// brief is the status, and for an error the problem's code: "409
// insufficient_points", "201".
func (r *resp) brief() string {
	var p problem
	if r.Status < 400 || json.Unmarshal(r.Body, &p) != nil {
		return strconv.Itoa(r.Status)
	}
	return strconv.Itoa(r.Status) + " " + p.Code
}

// problem is the decoded problem document of an error response.
type problem struct {
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Detail    string `json:"detail"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Field, Code, Message string
	} `json:"errors"`
}

// fails checks that the response is a problem with the status and code,
// and (if field is given) names that field.
func (r *resp) fails(status int, code, field string) problem {
	r.t.Helper()
	var p problem
	r.must(status, &p)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Errorf("content type %q, want application/problem+json", ct)
	}
	if p.Code != code {
		r.t.Errorf("code %q, want %q; body: %s", p.Code, code, r.Body)
	}
	if field != "" && !p.hasField(field) {
		r.t.Errorf("no error for field %q; body: %s", field, r.Body)
	}
	if p.Detail == "" || p.RequestID == "" {
		r.t.Errorf("problem lacks detail or request_id: %s", r.Body)
	}
	return p
}

func (p problem) hasField(f string) bool {
	for _, e := range p.Errors {
		if e.Field == f {
			return true
		}
	}
	return false
}

// obj is a decoded JSON object.
type obj = map[string]any

// list is a decoded page.
type list struct {
	Items      []obj  `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// createOrg creates an organization in tenant A and returns it.
func (e *env) createOrg(body obj) obj {
	e.t.Helper()
	var o obj
	e.do("POST", "/v1/organizations", e.keyA, body).must(201, &o)
	return o
}

// createMember creates a member in tenant A and returns it.
func (e *env) createMember(body obj) obj {
	e.t.Helper()
	var m obj
	e.do("POST", "/v1/members", e.keyA, body).must(201, &m)
	return m
}

// count returns how many items a list endpoint returns in tenant A (all pages).
func (e *env) count(path string) int {
	e.t.Helper()
	n, cursor := 0, ""
	for {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		var l list
		p := path + sep + "limit=500"
		if cursor != "" {
			p += "&cursor=" + cursor
		}
		e.do("GET", p, e.keyA, nil).must(200, &l)
		n += len(l.Items)
		if l.NextCursor == "" {
			return n
		}
		cursor = l.NextCursor
	}
}

// snapshot counts the rows a write could have touched, to prove that a
// refused request wrote nothing.
func (e *env) snapshot() [4]int {
	return [4]int{e.count("/v1/organizations"), e.count("/v1/members"), e.count("/v1/audit-log"), e.count("/v1/programs")}
}

func str(v any) string { s, _ := v.(string); return s }
