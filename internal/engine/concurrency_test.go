package engine

import (
	"strings"
	"sync"
	"testing"
)

// TestConcurrentEvaluations: evaluations reuse pooled scratch space and
// sessions; evaluations at the same time on several goroutines give what
// they give one after the other, and no outcome shares memory with
// another evaluation's scratch (run with -race).
func TestConcurrentEvaluations(t *testing.T) {
	p := richProgram(t)
	parts := diffParticipants()
	evs := diffEvents(96)
	want := make([]string, len(evs)) // written at once: later evaluations must not change an outcome
	for i, ev := range evs {
		out, err := Evaluate(p, ProgramState{}, parts[i%len(parts)], ev)
		want[i] = canonical(out, err)
	}
	var wg sync.WaitGroup
	type result struct {
		out Outcome
		err error
	}
	got := make([][]result, 6)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g] = make([]result, len(evs))
			for i, ev := range evs {
				out, err := Evaluate(p, ProgramState{}, parts[i%len(parts)], ev)
				got[g][i] = result{out, err}
			}
		}()
	}
	wg.Wait()
	for g := range got {
		for i := range evs {
			if c := canonical(got[g][i].out, got[g][i].err); c != want[i] {
				t.Fatalf("goroutine %d, event %d:\n%s\nwant\n%s", g, i, c, want[i])
			}
		}
	}
}

// canonical is an outcome in the differential test's canonical form.
func canonical(o Outcome, err error) string {
	var b strings.Builder
	writeResult(&b, "", 0, o, err)
	return b.String()
}
