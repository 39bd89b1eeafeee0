package join

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is an Apply that records its batches and can be held: while
// gate is not closed, a batch waits for it. A batch holding "bad" fails;
// one holding "boom" panics.
type recorder struct {
	mu      sync.Mutex
	batches [][]string
	gate    chan struct{}
	started chan struct{} // receives once per batch, when it starts
}

func newRecorder() *recorder {
	return &recorder{gate: make(chan struct{}), started: make(chan struct{}, 100)}
}

func (r *recorder) apply(_ context.Context, _ string, ins []string) ([]string, error) {
	r.mu.Lock()
	r.batches = append(r.batches, slices.Clone(ins))
	r.mu.Unlock()
	r.started <- struct{}{}
	<-r.gate
	if slices.Contains(ins, "boom") {
		panic("boom")
	}
	if slices.Contains(ins, "bad") {
		return nil, errors.New("bad request")
	}
	outs := make([]string, len(ins))
	for i, in := range ins {
		outs[i] = "done " + in
	}
	return outs, nil
}

func (r *recorder) seen() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
}

// answer is what one Do returned.
type answer struct {
	in, out string
	err     error
}

// send starts Do for each input in order, each once the one before it
// waits in the queue (or leads), and returns the channel of answers.
func send(t *testing.T, j *Joiner[string, string, string], ctx context.Context, caller string, ins ...string) chan answer {
	t.Helper()
	out := make(chan answer, len(ins))
	for _, in := range ins {
		waiting, leading := queued(j, caller), running(j, caller)
		go func() {
			o, err := j.Do(ctx, caller, in)
			out <- answer{in, o, err}
		}()
		waitFor(t, func() bool { return queued(j, caller) > waiting || running(j, caller) > leading })
	}
	return out
}

func queued(j *Joiner[string, string, string], caller string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if q := j.queues[caller]; q != nil {
		return len(q.waiting)
	}
	return 0
}

func running(j *Joiner[string, string, string], caller string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if q := j.queues[caller]; q != nil {
		return q.running
	}
	return 0
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
	}
}

func collect(t *testing.T, ch chan answer, n int) map[string]answer {
	t.Helper()
	got := map[string]answer{}
	for range n {
		select {
		case a := <-ch:
			got[a.in] = a
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d of %d answers came", len(got), n)
		}
	}
	return got
}

// Requests that come while the caller's batch runs wait and then go as
// one batch, in the order they came; each gets its own answer.
func TestWaitingRequestsGoAsOneBatch(t *testing.T) {
	rec := newRecorder()
	j := &Joiner[string, string, string]{Apply: rec.apply, Lanes: 1}
	first := send(t, j, t.Context(), "erp", "a")
	<-rec.started
	rest := send(t, j, t.Context(), "erp", "b", "c", "d", "e")
	close(rec.gate)
	got := collect(t, rest, 4)
	got["a"] = collect(t, first, 1)["a"]
	if want := [][]string{{"a"}, {"b", "c", "d", "e"}}; !equal(rec.seen(), want) {
		t.Fatalf("batches %v, want %v", rec.seen(), want)
	}
	for _, in := range []string{"a", "b", "c", "d", "e"} {
		if got[in].err != nil || got[in].out != "done "+in {
			t.Errorf("%s answered %q, %v; want its own answer", in, got[in].out, got[in].err)
		}
	}
	if running(j, "erp") != 0 {
		t.Error("the lane stays taken after the last batch")
	}
}

// A failed batch of several runs each request alone: the wrong one gets
// its own error, the others are applied.
func TestAFailedBatchRunsEachRequestAlone(t *testing.T) {
	rec := newRecorder()
	j := &Joiner[string, string, string]{Apply: rec.apply, Lanes: 1}
	first := send(t, j, t.Context(), "erp", "a")
	<-rec.started
	rest := send(t, j, t.Context(), "erp", "b", "bad", "c")
	close(rec.gate)
	got := collect(t, rest, 3)
	collect(t, first, 1)
	if got["bad"].err == nil || got["bad"].err.Error() != "bad request" {
		t.Errorf("the wrong request answered %q, %v; want its error", got["bad"].out, got["bad"].err)
	}
	for _, in := range []string{"b", "c"} {
		if got[in].err != nil || got[in].out != "done "+in {
			t.Errorf("%s answered %q, %v; want it applied alone", in, got[in].out, got[in].err)
		}
	}
	batches := rec.seen()
	alone := batches[2:]
	slices.SortFunc(alone, func(x, y []string) int { return strings.Compare(x[0], y[0]) })
	if want := [][]string{{"a"}, {"b", "bad", "c"}, {"b"}, {"bad"}, {"c"}}; !equal(append(batches[:2:2], alone...), want) {
		t.Fatalf("batches %v, want %v", batches, want)
	}
}

// A request whose key is already in the batch waits for the next one;
// a batch holds at most Max requests.
func TestSameKeyAndMaxWaitForTheNextBatch(t *testing.T) {
	rec := newRecorder()
	j := &Joiner[string, string, string]{Apply: rec.apply, Lanes: 1, Max: 3,
		Key: func(s string) string { return strings.TrimSuffix(s, "'") }}
	first := send(t, j, t.Context(), "erp", "a")
	<-rec.started
	rest := send(t, j, t.Context(), "erp", "b", "b'", "c", "d", "e")
	close(rec.gate)
	collect(t, rest, 5)
	collect(t, first, 1)
	if want := [][]string{{"a"}, {"b", "c", "d"}, {"b'", "e"}}; !equal(rec.seen(), want) {
		t.Fatalf("batches %v, want %v", rec.seen(), want)
	}
}

// Each caller has lanes of its own: another caller's request does not
// wait behind this one's.
func TestCallersDoNotWaitForEachOther(t *testing.T) {
	rec := newRecorder()
	j := &Joiner[string, string, string]{Apply: rec.apply, Lanes: 1}
	first := send(t, j, t.Context(), "erp", "a")
	<-rec.started
	other := send(t, j, t.Context(), "shop", "x")
	select {
	case <-rec.started: // x's batch started while a's is held
	case <-time.After(5 * time.Second):
		t.Fatal("the other caller's request waited for the first caller's batch")
	}
	close(rec.gate)
	collect(t, first, 1)
	collect(t, other, 1)
}

// A caller that goes away while its request waits gets the context's
// error, and its request is never applied.
func TestAWaitingCallerThatGoesAwayIsNotApplied(t *testing.T) {
	rec := newRecorder()
	j := &Joiner[string, string, string]{Apply: rec.apply, Lanes: 1}
	first := send(t, j, t.Context(), "erp", "a")
	<-rec.started
	ctx, cancel := context.WithCancel(t.Context())
	gone := send(t, j, ctx, "erp", "b")
	stays := send(t, j, t.Context(), "erp", "c")
	cancel()
	if a := collect(t, gone, 1)["b"]; !errors.Is(a.err, context.Canceled) {
		t.Fatalf("the gone caller answered %q, %v; want context.Canceled", a.out, a.err)
	}
	close(rec.gate)
	collect(t, first, 1)
	collect(t, stays, 1)
	if want := [][]string{{"a"}, {"c"}}; !equal(rec.seen(), want) {
		t.Fatalf("batches %v, want %v", rec.seen(), want)
	}
	if _, err := j.Do(ctx, "erp", "d"); !errors.Is(err, context.Canceled) || len(rec.seen()) != 2 {
		t.Fatalf("a caller gone before it came: %v, batches %v", err, rec.seen())
	}
}

// A panic in a batch goes up the leader's goroutine; the others run
// alone, and the lane is free for what comes next.
func TestAPanickingBatchFreesTheOthers(t *testing.T) {
	rec := newRecorder()
	j := &Joiner[string, string, string]{Apply: rec.apply, Lanes: 1}
	first := send(t, j, t.Context(), "erp", "a")
	<-rec.started
	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_, _ = j.Do(t.Context(), "erp", "boom")
	}()
	waitFor(t, func() bool { return queued(j, "erp") == 1 })
	more := send(t, j, t.Context(), "erp", "b")
	close(rec.gate)
	collect(t, first, 1)
	if got := collect(t, more, 1)["b"]; got.err != nil || got.out != "done b" {
		t.Fatalf("b answered %q, %v after a panicking batch", got.out, got.err)
	}
	if p := <-panicked; p != "boom" {
		t.Fatalf("the leader's goroutine recovered %v, want the panic", p)
	}
	if want := [][]string{{"a"}, {"boom", "b"}, {"b"}}; !equal(rec.seen(), want) {
		t.Fatalf("batches %v, want %v", rec.seen(), want)
	}
	if running(j, "erp") != 0 {
		t.Error("the lane stays taken after a panic")
	}
}

// Many callers sending many requests at once: every request is answered
// once with its own answer and applied exactly once.
func TestEveryRequestIsAppliedOnce(t *testing.T) {
	var mu sync.Mutex
	applied := map[string]int{}
	var batches atomic.Int64
	j := &Joiner[string, string, string]{Apply: func(_ context.Context, caller string, ins []string) ([]string, error) {
		batches.Add(1)
		if slices.ContainsFunc(ins, func(s string) bool { return strings.HasSuffix(s, "-13") }) && len(ins) > 1 {
			return nil, errors.New("refused")
		}
		mu.Lock()
		defer mu.Unlock()
		outs := make([]string, len(ins))
		for i, in := range ins {
			applied[in]++
			outs[i] = caller + ":" + in
		}
		return outs, nil
	}}
	var wg sync.WaitGroup
	const callers, each = 4, 200
	for c := range callers {
		for i := range each {
			wg.Go(func() {
				caller, in := fmt.Sprint("c", c), fmt.Sprintf("r%d-%d", c, i)
				out, err := j.Do(t.Context(), caller, in)
				if err != nil || out != caller+":"+in {
					t.Errorf("%s answered %q, %v", in, out, err)
				}
			})
		}
	}
	wg.Wait()
	if len(applied) != callers*each {
		t.Fatalf("%d requests applied, want %d", len(applied), callers*each)
	}
	for in, n := range applied {
		if n != 1 {
			t.Fatalf("%s applied %d times", in, n)
		}
	}
	t.Logf("%d requests in %d batches", callers*each, batches.Load())
}

func equal(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}
