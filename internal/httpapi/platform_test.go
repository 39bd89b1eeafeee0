package httpapi_test

import (
	"encoding/json"

	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

func TestIdempotencyKey(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		body := obj{"type": "dealer", "name": "Once Only"}
		var first, second obj
		r1 := e.do("POST", "/v1/organizations", e.keyA, body, "Idempotency-Key", "create-once-001").must(201, &first)
		r2 := e.do("POST", "/v1/organizations", e.keyA, body, "Idempotency-Key", "create-once-001").must(201, &second)
		if first["id"] != second["id"] || r2.Header.Get("Idempotent-Replayed") != "true" || r1.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("repeat did not replay: %v vs %v", first, second)
		}
		if n := e.count("/v1/organizations"); n != 1 {
			t.Fatalf("%d organizations after a repeated request, want 1", n)
		}
		e.do("POST", "/v1/organizations", e.keyA, obj{"type": "dealer", "name": "Something else"}, "Idempotency-Key", "create-once-001").
			fails(409, "idempotency_key_reused", "")
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "Once Only"}, "Idempotency-Key", "create-once-001").fails(409, "idempotency_key_reused", "")
		// Keys are per tenant: B's identical key is B's own.
		e.do("POST", "/v1/organizations", e.keyB, body, "Idempotency-Key", "create-once-001").must(201, nil)
		e.do("POST", "/v1/organizations", e.keyA, body, "Idempotency-Key", "short").fails(422, "validation_failed", "Idempotency-Key")

		// A refused request is remembered too: the repeat gets the same 422.
		bad := obj{"type": "dealer", "name": ""}
		p1 := e.do("POST", "/v1/organizations", e.keyA, bad, "Idempotency-Key", "bad-request-01").fails(422, "validation_failed", "name")
		p2 := e.do("POST", "/v1/organizations", e.keyA, bad, "Idempotency-Key", "bad-request-01").fails(422, "validation_failed", "name")
		if p1.RequestID != p2.RequestID {
			t.Fatal("the repeat of a refused request was processed again instead of replayed")
		}
		// Keys expire after a day.
		e.clock.Advance(25 * time.Hour)
		e.do("POST", "/v1/organizations", e.keyA, obj{"type": "dealer", "name": "Something else"}, "Idempotency-Key", "create-once-001").must(201, nil)
	})
}

// Concurrent requests with one key create one thing: the others see the
// first still running (409) or its stored result.
func TestIdempotencyKeyConcurrent(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var wg sync.WaitGroup
		statuses := make([]int, 24)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = e.do("POST", "/v1/organizations", e.keyA, obj{"type": "dealer", "name": "Race"}, "Idempotency-Key", "race-key-0001").Status
			}()
		}
		wg.Wait()
		for _, s := range statuses {
			if s != 201 && s != 409 {
				t.Fatalf("statuses %v", statuses)
			}
		}
		if n := e.count("/v1/organizations"); n != 1 {
			t.Fatalf("%d organizations from one idempotency key", n)
		}
	})
}

func TestOperationalEndpoints(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var health map[string]string
		e.do("GET", "/healthz", "", nil).must(200, &health)
		e.do("GET", "/readyz", "", nil).must(200, &health)
		if health["status"] != "ready" {
			t.Fatalf("readyz %v", health)
		}
		e.do("GET", "/v1/organizations", e.keyA, nil).must(200, nil)
		m := e.do("GET", "/metrics", "", nil).must(200, nil)
		if !strings.Contains(string(m.Body), `loyal_http_requests_total{code="200",method="GET",route="GET /v1/organizations"}`) {
			t.Fatalf("metrics lack the request counter:\n%s", m.Body)
		}

		var spec struct {
			OpenAPI string                    `json:"openapi"`
			Paths   map[string]map[string]obj `json:"paths"`
		}
		e.do("GET", "/v1/openapi.json", "", nil).must(200, &spec)
		if spec.OpenAPI != "3.1.0" || len(spec.Paths) < 15 || spec.Paths["/v1/organizations"]["post"]["operationId"] != "create-organization" {
			t.Fatalf("openapi %s with %d paths", spec.OpenAPI, len(spec.Paths))
		}
		docs := e.do("GET", "/v1/docs", "", nil).must(200, nil)
		page := string(docs.Body)
		for _, want := range []string{"create-organization", "/v1/members/{id}/move", "OrganizationJSON", "Idempotency-Key"} {
			if !strings.Contains(page, want) {
				t.Errorf("docs page lacks %q", want)
			}
		}
		if strings.Contains(page, "<script") || strings.Contains(page, "https://cdn") {
			t.Error("docs page loads scripts or a CDN; it must work offline")
		}

		e.do("GET", "/v1/nothing-here", e.keyA, nil).fails(404, "unknown_route", "")
		r := e.do("PUT", "/v1/organizations", e.keyA, obj{})
		r.fails(405, "method_not_allowed", "")
		if !strings.Contains(r.Header.Get("Allow"), "POST") {
			t.Errorf("Allow header %q", r.Header.Get("Allow"))
		}
		r = e.do("GET", "/v1/tenant", e.keyA, nil, "X-Request-Id", "trace-abc.123")
		if r.Header.Get("X-Request-Id") != "trace-abc.123" {
			t.Error("a sane X-Request-Id is not kept")
		}
		r = e.do("GET", "/v1/tenant", e.keyA, nil, "X-Request-Id", "bad id with spaces")
		if id := r.Header.Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
			t.Errorf("an insane X-Request-Id is kept: %q", id)
		}
	})
}

// No request body, however wrong, makes any operation fail with a 5xx.
func TestGarbageNeverCausesServerErrors(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "Target"})
		m := e.createMember(obj{"organization_id": o["id"], "name": "M", "roles": []string{"owner"}})
		bodies := []string{"", "null", "[]", "{}", `{"a":`, `"str"`, "123", "true", `{"name":{"deep":[1,2,{"x":null}]}}`,
			`{"items":[null,1,"x",{}]}`, `{"type":"dealer","name":"\u0000"}`, strings.Repeat("[", 10000), "\xff\xfe\xfd", `{"limit":-1}`}
		ids := strings.NewReplacer("{id}", str(o["id"]))
		memberPaths := strings.NewReplacer("{id}", str(m["id"]))
		for path, item := range e.api.OpenAPI().Paths {
			for method, op := range map[string]*huma.Operation{"POST": item.Post, "PATCH": item.Patch, "PUT": item.Put} {
				if op == nil {
					continue
				}
				p := ids.Replace(path)
				if strings.HasPrefix(path, "/v1/members/") {
					p = memberPaths.Replace(path)
				}
				for _, b := range bodies {
					if r := e.do(method, p, e.keyA, b); r.Status >= 500 {
						t.Errorf("%s %s with %.30q: status %d %s", method, path, b, r.Status, r.Body)
					}
				}
			}
		}
		for _, q := range []string{"?limit=abc", "?limit=-5", "?cursor=%ff%fe", "?type=%00", "?q=" + strings.Repeat("x", 5000)} {
			if r := e.do("GET", "/v1/organizations"+q, e.keyA, nil); r.Status >= 500 || r.Status < 400 {
				t.Errorf("GET %s: status %d", q, r.Status)
			}
		}
	})
}

// The JSON shapes have stable snake_case names and RFC 3339 times.
func TestRepresentation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "Shape"})
		raw := e.do("GET", "/v1/organizations/"+str(o["id"]), e.keyA, nil).must(200, nil).Body
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "type", "name", "external_id", "tags", "parent_id", "account_manager_id", "status", "created_at", "updated_at"} {
			if _, ok := m[k]; !ok {
				t.Errorf("field %q missing in %s", k, raw)
			}
		}
		var at time.Time
		if err := json.Unmarshal(m["created_at"], &at); err != nil || !at.Equal(epoch) {
			t.Errorf("created_at %s, want %s", m["created_at"], epoch.Format(time.RFC3339))
		}
		if string(m["tags"]) != "[]" {
			t.Errorf("empty tags should be [], got %s", m["tags"])
		}
	})
}
