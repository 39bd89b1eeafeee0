package store

// Both engines' writes run part of their work on a goroutine while the
// write goes on: PostgreSQL's pipeline sends held statements ahead
// (pipeline.go), SQLite's writer runs them ahead (writer_ahead.go).

// ahead is work running on a goroutine on a write's connection, and the
// first failure of such work (or of held statements).
type ahead struct {
	done chan error // the outcome of the work running; nil: none is
	err  error
}

// start runs f on a goroutine; wait for it before the connection's next
// use.
func (a *ahead) start(f func() error) {
	done := make(chan error, 1)
	go func() { done <- f() }()
	a.done = done
}

// wait waits for the work running ahead and returns a.err.
func (a *ahead) wait() error {
	if a.done != nil {
		if err := <-a.done; err != nil && a.err == nil {
			a.err = err
		}
		a.done = nil
	}
	return a.err
}
