// Package tracing gives the product OpenTelemetry spans — HTTP requests,
// event ingestion, the engine, the store and jobs — exported over OTLP/HTTP
// when an endpoint is configured. Off by default, and then free: Start
// returns at once, without touching the context or allocating.
package tracing

import (
	"context"
	"log/slog"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

var (
	enabled atomic.Bool
	tracer  atomic.Pointer[trace.Tracer]
	none    trace.Span = noop.Span{} // an interface made once: returning it allocates nothing
)

// Setup exports spans to an OTLP/HTTP collector at endpoint (a URL such
// as http://collector:4318) and returns the function that flushes and
// stops the export. An empty endpoint leaves tracing off.
func Setup(ctx context.Context, endpoint, version string) (func(context.Context) error, error) {
	if endpoint == "" {
		return func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint))
	if err != nil {
		return nil, err
	}
	res := resource.NewSchemaless(semconv.ServiceName("loyal"), semconv.ServiceVersion(version))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	Use(tp)
	return tp.Shutdown, nil
}

// Use turns tracing on with a provider (Setup's, or a test's with an
// in-memory exporter); nil turns it off.
func Use(tp trace.TracerProvider) {
	if tp == nil {
		enabled.Store(false)
		return
	}
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t := tp.Tracer("github.com/loyal-b2b/loyal")
	tracer.Store(&t)
	enabled.Store(true)
}

// On reports whether spans are recorded.
func On() bool { return enabled.Load() }

// Start begins a span as a child of ctx's; end it with End. When tracing
// is off it returns ctx itself and a span that does nothing.
func Start(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if !enabled.Load() {
		return ctx, none
	}
	return (*tracer.Load()).Start(ctx, name, trace.WithAttributes(attrs...))
}

// Fail marks a span failed with err (nil: nothing).
func Fail(span trace.Span, err error) {
	if err != nil && span.IsRecording() {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
}

// TraceID is the id of ctx's trace, or "" outside one.
func TraceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.HasTraceID() {
		return sc.TraceID().String()
	}
	return ""
}

// LogHandler adds trace_id to every record logged with a context inside a
// trace, so a log line leads to its trace (and the request id beside it
// to the access log).
type LogHandler struct{ slog.Handler }

// Handle adds the trace id when there is one.
func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := TraceID(ctx); id != "" {
		r.AddAttrs(slog.String("trace_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the handler's trace ids.
func (h LogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return LogHandler{h.Handler.WithAttrs(as)}
}

// WithGroup keeps the handler's trace ids.
func (h LogHandler) WithGroup(name string) slog.Handler { return LogHandler{h.Handler.WithGroup(name)} }
