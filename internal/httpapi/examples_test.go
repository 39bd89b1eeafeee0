package httpapi_test

import (
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Every JSON request body and success response in the API description
// carries an example, and the docs page shows them.
func TestEveryOperationHasExamples(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	missing := func(where string, content map[string]*huma.MediaType) {
		for ct, mt := range content {
			if strings.Contains(ct, "json") && mt.Example == nil {
				t.Errorf("%s: no example", where)
			}
		}
	}
	for path, item := range e.api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			if op.RequestBody != nil {
				missing(op.Method+" "+path+" request", op.RequestBody.Content)
			}
			for code, r := range op.Responses {
				if strings.HasPrefix(code, "2") {
					missing(op.Method+" "+path+" "+code, r.Content)
				}
			}
		}
	}
	page := string(e.do("GET", "/v1/docs", "", nil).must(200, nil).Body)
	if !strings.Contains(page, "Request example") || !strings.Contains(page, "Response example") {
		t.Error("the docs page shows no examples")
	}
}
