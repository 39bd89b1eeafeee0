package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A database's background work (analyzing PostgreSQL's new tables,
// checkpointing SQLite's log) has ended when Close returns, and closing
// logs nothing. A round left running used to fail on the closed pool and
// log "sql: database is closed" after Close, into a logger its owner was
// already reading: the CLI's output, which the race detector caught in the
// import command's test. Rounds run every millisecond here, so many are
// under way while the database closes.
func TestCloseEndsBackgroundWork(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			logs := &closingLog{}
			for i := range 100 {
				opts := store.Options{DSN: dsn, AnalyzeEvery: time.Millisecond, CheckpointEvery: time.Millisecond, Logger: slog.New(logs)}
				db, err := store.Open(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				if err := db.Exec(context.Background(), fmt.Sprintf(`CREATE TABLE t%d AS SELECT 1 AS x`, i)); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(i%5) * time.Millisecond)
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				logs.closed(true)
				time.Sleep(2 * time.Millisecond) // a round still running would log now
				logs.closed(false)
			}
			if late, all := logs.seen(); late > 0 || len(all) > 0 {
				t.Fatalf("%d records after Close returned; all logged: %v", late, all)
			}
		})
	}
}

// closingLog is a slog.Handler that keeps what is logged and counts what
// arrives while the database is closed.
type closingLog struct {
	mu       sync.Mutex
	isClosed bool
	late     int
	records  []string
}

func (l *closingLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *closingLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *closingLog) WithGroup(string) slog.Handler            { return l }

func (l *closingLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	text := r.Message
	r.Attrs(func(a slog.Attr) bool { text += " " + a.String(); return true })
	l.records = append(l.records, text)
	if l.isClosed {
		l.late++
	}
	return nil
}

func (l *closingLog) closed(c bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.isClosed = c
}

func (l *closingLog) seen() (late int, records []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.late, l.records
}
