package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/tracing"
)

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// withRequestID gives every request an id: the caller's X-Request-Id when
// it is sane, else a new one. It is echoed in the response, the logs, the
// audit log and every problem document.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !requestIDRE.MatchString(id) {
			id = ids.Token(10)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(access.WithRequestID(r.Context(), id)))
	})
}

// withRecover turns a panic in a handler into a logged 500 problem.
func withRecover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "panic", v, "stack", string(debug.Stack()), "request_id", access.RequestID(r.Context()))
				writeProblem(w, r, newProblem(500, "internal", "something went wrong on our side; it has been logged — quote the request id if it persists"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// requestInfo is what the outermost middleware learns about a request
// once and the inner ones share: the matched route pattern ("" for none),
// and who the caller turned out to be, carried back out to the access log,
// which runs outside authentication.
type requestInfo struct{ route, tenantID, actorID string }

type requestInfoKey struct{}

func infoOf(r *http.Request) *requestInfo {
	if i, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return i
	}
	return &requestInfo{}
}

// noteCaller records the authenticated caller for the access log.
func noteCaller(ctx context.Context, p access.Principal) {
	if c, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		c.tenantID, c.actorID = p.TenantID, p.ActorID
	}
}

// withAccessLog logs every request and records its metrics. The route label
// is the matched pattern, never the raw path, to keep label values few.
func withAccessLog(log *slog.Logger, m *Metrics, mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inflight.Inc()
		defer m.inflight.Dec()
		sw := &statusWriter{ResponseWriter: w}
		info := &requestInfo{}
		_, info.route = mux.Handler(r) // matched once, here, for every layer
		ctx, span := tracing.Start(r.Context(), spanName(r.Method, info.route))
		defer span.End()
		r = r.WithContext(context.WithValue(ctx, requestInfoKey{}, info)) // one copy of the request for both
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := info.route
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		m.durations.WithLabelValues(route, r.Method).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "route", route, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(elapsed.Microseconds()) / 1000, "request_id", access.RequestID(r.Context())}
		if info.tenantID != "" {
			attrs = append(attrs, "tenant", info.tenantID, "actor", info.actorID)
		}
		if span.IsRecording() {
			span.SetAttributes(attribute.Int("http.response.status_code", sw.status), attribute.String("request_id", access.RequestID(ctx)))
		}
		log.Log(r.Context(), level, "request", attrs...)
	})
}

// spanName names a request's span by its route ("POST /v1/events"), never
// by its raw path, as the metrics do.
func spanName(method, route string) string {
	switch {
	case route == "":
		return method + " unmatched"
	case strings.Contains(route, " "):
		return route // the pattern names its method
	}
	return method + " " + route
}

// withJSONDefault treats a body sent without a content type, or with the
// form type that `curl -d` sets by default, as JSON: the API accepts
// nothing else, and refusing such requests only annoys people at a shell.
func withJSONDefault(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); r.ContentLength != 0 && (ct == "" || ct == "application/x-www-form-urlencoded") {
			r.Header.Set("Content-Type", "application/json")
		}
		next.ServeHTTP(w, r)
	})
}
