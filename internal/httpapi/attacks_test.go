package httpapi_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The adversarial suite: what an attacker or a careless integrator sends,
// and what the API must answer. docs/SECURITY.md lists every part of it
// (this table; isolation_test.go for tenants; the attack tests of the
// ledger, promo codes, four-eyes, throttling and analytics).

// attack is one hostile or careless request, sent with tenant A's admin
// key, and the problem it must get: status, code and the field named.
// None of them may write anything or leak anything internal.
type attack struct {
	name         string
	method, path string
	body         string // sent as is
	status       int
	code, field  string
}

// attacks: bad input and exposure. The path's {org} is a real
// organization of tenant A; {item} a reward item of it.
var attacks = []attack{
	// JSON that encoding/json would take without a word.
	{"a key given twice", "POST", "/v1/organizations", `{"type":"dealer","name":"A","name":"B"}`, 422, "validation_failed", "name"},
	{"a key given twice, spelt with an escape", "POST", "/v1/organizations", `{"type":"dealer","name":"A","na\u006de":"B"}`, 422, "validation_failed", "name"},
	{"a key given twice in a list item", "POST", "/v1/organizations:bulk-upsert",
		`{"items":[{"external_id":"X-1","type":"dealer","name":"A"},{"external_id":"X-2","type":"dealer","name":"B","type":"installer"}]}`, 422, "validation_failed", "items[1].type"},
	{"a key given twice in a different case", "POST", "/v1/organizations", `{"type":"dealer","name":"A","Name":"B"}`, 422, "validation_failed", "Name"},
	// Numbers beyond what a field holds: the field and its range, no Go.
	{"a point amount beyond int64", "POST", "/v1/ledger/earn", `{"owner":{"type":"organization","id":"{org}"},"point_type_id":"{pt}","amount":1e30}`, 422, "validation_failed", "amount"},
	{"a quantity beyond int64 in a line", "POST", "/v1/events",
		`{"type":"invoice","source":"erp","external_id":"BIG-1","occurred_at":"2026-03-02T09:00:00Z","organization":"{org}","currency":"EUR","lines":[{"sku":"A","qty":1,"unit_price":1},{"sku":"B","qty":-1e19,"unit_price":1}]}`, 422, "validation_failed", "lines[1].qty"},
	// Text that disguises itself (U+202E shows "gnp.exe" as "exe.png").
	{"a bidi override in a name", "POST", "/v1/organizations", `{"type":"dealer","name":"Invoice \u202egnp.exe"}`, 422, "validation_failed", "name"},
	{"a raw bidi override in a name", "POST", "/v1/organizations", "{\"type\":\"dealer\",\"name\":\"Invoice \u202egnp.exe\"}", 422, "validation_failed", "name"},
	{"a bidi isolate in a member's name", "POST", "/v1/members", `{"organization_id":"{org}","name":"Ann \u2067Lee\u2069"}`, 422, "validation_failed", "name"},
	{"a bidi override in a reward's name", "POST", "/v1/rewards", `{"kind":"merchandise","name":"Jacket \u202e","point_type_id":"{pt}","price":10}`, 422, "validation_failed", "name"},
	{"a bidi override in a program's rule", "POST", "/v1/programs/{program}/versions",
		`{"definition":{"currency":"EUR","point_type_id":"{pt}","rules":[{"id":"r","name":"Double \u202e","effects":[{"type":"earn","fixed":1}]}]}}`, 422, "validation_failed", "definition.rules[0].name"},
	// NUL characters, which PostgreSQL cannot store.
	{"a NUL in a path id", "GET", "/v1/organizations/ext:%00", "", 404, "not_found", ""},
	{"a NUL in a path id, plain", "GET", "/v1/members/%00", "", 404, "not_found", ""},
	{"a NUL in a query", "GET", "/v1/organizations?q=a%00b", "", 422, "validation_failed", "q"},
	{"a NUL in an id in a body", "POST", "/v1/members", `{"organization_id":"ext:\u0000","name":"Ann"}`, 422, "validation_failed", "organization_id"},
	{"a NUL in a name", "POST", "/v1/organizations", `{"type":"dealer","name":"A\u0000B"}`, 422, "validation_failed", "name"},
	// Quantities that would silently become something else.
	{"a redemption of quantity 0", "POST", "/v1/redemptions", `{"item_id":"{item}","organization":"{org}","quantity":0}`, 422, "validation_failed", "quantity"},
	{"a redemption of negative quantity", "POST", "/v1/redemptions", `{"item_id":"{item}","organization":"{org}","quantity":-1}`, 422, "validation_failed", "quantity"},
	// Malformed and unknown input.
	{"not JSON", "POST", "/v1/organizations", `{"type":"dealer",`, 400, "malformed_json", ""},
	{"an unknown field", "POST", "/v1/organizations", `{"type":"dealer","name":"A","colour":"red"}`, 422, "validation_failed", "colour"},
	{"an unknown route", "GET", "/v1/../../etc/passwd", "", 404, "", ""},
}

// leakRE finds internals that must never reach a client: driver and SQL
// words, Go type names, stack traces, file paths.
var leakRE = regexp.MustCompile(`(?i)sqlstate|pgx|pq:|sqlite|modernc|syntax error at|go struct|json: cannot|runtime\.|goroutine|panic|\.go:\d|/internal/|/root/|/home/`)

// requestIDRE is a problem's request id, random letters that may spell
// anything.
var requestIDRE = regexp.MustCompile(`"request_id":"[^"]*"`)

// leak returns the internal an answer leaks, or "".
func leak(body []byte) string {
	return leakRE.FindString(requestIDRE.ReplaceAllString(string(body), ""))
}

// TestAttackBadInput sends every attack on both engines: each gets its
// problem, none writes anything, none leaks an internal.
func TestAttackBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		item := r.item(nil)
		repl := strings.NewReplacer("{org}", str(r.org["id"]), "{pt}", r.pt, "{item}", str(item["id"]), "{program}", programOf(e))
		before, balance := e.snapshot(), e.available("/v1/organizations/ext:R-1/wallet")
		for i, a := range attacks {
			var body any
			if a.body != "" {
				body = repl.Replace(a.body)
			}
			res := e.do(a.method, repl.Replace(a.path), e.keyA, body, "Idempotency-Key", fmt.Sprintf("attack-%d", i))
			if res.Status != a.status {
				t.Errorf("%s: status %d, want %d: %s", a.name, res.Status, a.status, res.short())
				continue
			}
			var p problem
			res.must(a.status, &p)
			if a.code != "" && p.Code != a.code || a.field != "" && !p.hasField(a.field) {
				t.Errorf("%s: got %s %+v, want %s naming %q", a.name, p.Code, p.Errors, a.code, a.field)
			}
			if l := leak(res.Body); l != "" {
				t.Errorf("%s: the answer leaks %q: %s", a.name, l, res.short())
			}
		}
		if after := e.snapshot(); after != before || e.available("/v1/organizations/ext:R-1/wallet") != balance {
			t.Fatalf("refused attacks wrote something: %v → %v", before, after)
		}
	})
}

// reflectNil reports whether v holds a nil pointer (an absent operation).
func reflectNil(v any) bool { return v == nil || reflect.ValueOf(v).IsNil() }

// programOf is the id of tenant A's first program.
func programOf(e *env) string {
	e.t.Helper()
	var l list
	e.do("GET", "/v1/programs", e.keyA, nil).must(200, &l)
	return str(l.Items[0]["id"])
}

// TestAttackExposureHeaders: API answers are never sniffed or framed and
// authenticated ones never cached; the docs page runs no inline code.
func TestAttackExposureHeaders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	for _, c := range []struct {
		name    string
		res     *resp
		noStore bool
	}{
		{"authenticated data", e.do("GET", "/v1/tenant", e.keyA, nil), true},
		{"an authenticated refusal", e.do("GET", "/v1/organizations/nope", e.keyA, nil), true},
		{"a wrong key", e.do("GET", "/v1/tenant", "lyl_acme_0000000000000_00000000000000000000000000000000", nil), true},
		{"a public endpoint", e.do("GET", "/healthz", "", nil), false},
	} {
		h := c.res.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: headers %v", c.name, h)
		}
		if got := h.Get("Cache-Control") == "no-store"; got != c.noStore {
			t.Errorf("%s: Cache-Control %q", c.name, h.Get("Cache-Control"))
		}
	}
	page := e.do("GET", "/v1/docs", "", nil).must(200, nil)
	csp := page.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
		page.Header.Get("Referrer-Policy") == "" || page.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("docs page headers: %v", page.Header)
	}
	if html := strings.ToLower(string(page.Body)); strings.Contains(html, "<script") || strings.Contains(html, "<style") || strings.Contains(html, " style=") {
		t.Error("the docs page holds inline script or style, which its policy refuses")
	}
	if css := e.do("GET", "/v1/docs.css", "", nil).must(200, nil); !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") || len(css.Body) < 100 {
		t.Errorf("docs.css: %v %d bytes", css.Header, len(css.Body))
	}
}

// TestAttackNULBehindTheAPI: a NUL that reaches the store by a way other
// than the API (the CLI, an import, a future page) is the caller's error
// on PostgreSQL too, never an internal one.
func TestAttackNULBehindTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		p := access.System(e.tidA)
		for _, id := range []string{"ext:\x00", "\x00", "a\x00b"} {
			_, err := e.app.Party.GetOrganization(context.Background(), p, id)
			if k := errs.KindOf(err); k != errs.NotFound && k != errs.Invalid {
				t.Errorf("organization %q: %v (%s)", id, err, k)
			}
		}
	})
}

// TestAttackNULInEveryPath: a NUL in any path parameter of any route is a
// 4xx on both engines (PostgreSQL cannot store or compare one), never a
// 500, and the answer leaks nothing.
func TestAttackNULInEveryPath(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		param := regexp.MustCompile(`\{[^}]+\}`)
		for path, item := range e.api.OpenAPI().Paths {
			if !strings.Contains(path, "{") {
				continue
			}
			for method, op := range map[string]any{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch} {
				if reflectNil(op) {
					continue
				}
				for _, v := range []string{"%00", "ext:%00", "a%00b"} {
					r := e.do(method, param.ReplaceAllString(path, v), e.keyA, nil)
					if r.Status >= 500 || r.Status < 400 || leak(r.Body) != "" {
						t.Errorf("%s %s with %s: %d %s", method, path, v, r.Status, r.short())
					}
				}
			}
		}
	})
}
