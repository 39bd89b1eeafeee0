package httpapi_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/tracing"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// With tracing on, an event sent over the API leaves one trace: the HTTP
// request, ingestion, the engine and the store's write, and the access log
// names the trace next to the request id.
func TestTracingSpansAndLogs(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tracing.Use(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)))
	defer tracing.Use(nil)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		exp.Reset()
		e := newEnv(t, db)
		var logs bytes.Buffer
		log := slog.New(tracing.LogHandler{Handler: slog.NewTextHandler(&logs, nil)})
		e.app = app.New(config.Config{}, log, e.clock, db, nil)
		e.api = e.app.Handler("test")
		newProgram(e, obj{"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		exp.Reset()
		r := e.do("POST", "/v1/events", e.keyA, invoice("INV-T1", line("A", 1, 1000)))
		r.must(200, nil)
		spans := exp.GetSpans()
		byName := map[string]tracetest.SpanStub{}
		for _, s := range spans {
			byName[s.Name] = s
		}
		root, ok := byName["POST /v1/events"]
		if !ok {
			t.Fatalf("no span of the request; spans: %v", names(spans))
		}
		for _, n := range []string{"events.ingest", "engine.evaluate", "db.write"} {
			s, ok := byName[n]
			if !ok || s.SpanContext.TraceID() != root.SpanContext.TraceID() {
				t.Errorf("span %s missing or in another trace; spans: %v", n, names(spans))
			}
		}
		traceID := root.SpanContext.TraceID().String()
		reqID := r.Header.Get("X-Request-Id")
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "msg=request") && strings.Contains(l, "request_id="+reqID) {
				line = l
			}
		}
		if !strings.Contains(line, "trace_id="+traceID) {
			t.Errorf("the access log line should carry trace_id=%s next to the request id: %q", traceID, line)
		}
	})
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}
