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
// it: after 24 MiB written in 300 commits, with the writer idle, the
// database file itself comes to hold them while the database is still
// open. The writer checkpoints only past 256 MiB, so without the
// checkpointer the file stays a few pages long until it is closed. Waiting
// for the copy, instead of sampling the log's size during the writes,
// keeps the test independent of how fast the machine is. Everything written
// is there after the database is opened again.
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
	const commits, size, patience = 300, 80 << 10, 30 * time.Second
	for i := range commits {
		if err := db.Exec(ctx, `INSERT INTO blobs (id, b) VALUES ($1, randomblob($2))`, i, size); err != nil {
			t.Fatal(err)
		}
	}
	if got := waitForFileSize(path, commits*size, patience); got < commits*size {
		t.Fatalf("the database file holds %d bytes of the %d written after %v: the log was not checkpointed beside the writer", got, commits*size, patience)
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

// waitForFileSize polls path until it is at least want bytes long or the
// time is up, and answers its last size.
func waitForFileSize(path string, want int64, within time.Duration) int64 {
	var size int64
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if st, err := os.Stat(path); err == nil {
			if size = st.Size(); size >= want {
				break
			}
		}
	}
	return size
}
