package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// SQLite's log is copied into the database file beside the writer, not by
// it: 24 MiB written in 300 commits leave a log of a few commits' pages
// (it starts over once checkpointed), where the writer, checkpointing only
// past 256 MiB, would leave all 24 MiB of it. Everything written is there
// after the database is opened again.
func TestTheLogIsCheckpointedBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	path := storetest.DSN(t, store.SQLite)
	db, err := store.Open(ctx, store.Options{DSN: path, CheckpointEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(ctx, `CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const commits, size = 300, 80 << 10
	largest := int64(0)
	for i := range commits {
		if err := db.Exec(ctx, `INSERT INTO blobs (id, b) VALUES ($1, randomblob($2))`, i, size); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // a few checkpoints' chances over the run
		if st, err := os.Stat(path + "-wal"); err == nil {
			largest = max(largest, st.Size())
		}
	}
	if written := int64(commits * size); largest > written/2 {
		t.Fatalf("the log grew to %d bytes for %d written: it was not checkpointed beside the writer", largest, written)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := store.Open(ctx, store.Options{DSN: path})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	rows, err := again.Rows(ctx, `SELECT COUNT(*) AS n, SUM(length(b)) AS bytes FROM blobs`)
	if err != nil {
		t.Fatal(err)
	}
	if n, bytes := rows[0]["n"], rows[0]["bytes"]; n != int64(commits) || bytes != int64(commits*size) {
		t.Fatalf("after reopening: %v rows of %v bytes, want %d of %d", n, bytes, commits, commits*size)
	}
}
