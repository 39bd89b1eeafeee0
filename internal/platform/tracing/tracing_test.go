package tracing

import (
	"context"
	"testing"
)

// Off (the default), a span costs nothing: the context comes back as it
// was and nothing is allocated.
func TestOffIsFree(t *testing.T) {
	Use(nil)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		c, span := Start(ctx, "x")
		Fail(span, context.Canceled)
		span.End()
		if c != ctx {
			t.Fatal("the context changed")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per span with tracing off", allocs)
	}
	if TraceID(ctx) != "" {
		t.Error("a trace id outside a trace")
	}
}

func TestSetupWithoutEndpointLeavesTracingOff(t *testing.T) {
	stop, err := Setup(context.Background(), "", "test")
	if err != nil || On() {
		t.Fatalf("Setup(\"\") = %v; on: %v", err, On())
	}
	if err := stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
