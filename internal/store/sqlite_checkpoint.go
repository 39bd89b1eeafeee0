package store

import (
	"cmp"
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// SQLite copies its write-ahead log into the database file (a
// checkpoint: the pages written since the last one, then an fsync of the
// file) in the connection whose commit takes the log past
// wal_autocheckpoint pages. That connection is the writer, and every
// commit waiting behind it waited for the copy: on 2026-12-07 the 99th
// percentile of single events over HTTP was 36–37 ms with it and 22–27
// ms with no checkpoints at all. A connection of its own now checkpoints
// every second, PASSIVE (it never waits for the writer or a reader, and
// what a reader still needs stays in the log for the next round); the
// writer's own checkpoint is left only as a safety valve, for a log that
// has grown very large. Durability is the commits' (synchronous=FULL on
// the log), not the checkpoint's.

// checkpointEvery is how often the checkpointer runs by default.
const checkpointEvery = time.Second

// writerCheckpointPages is the log's size, in pages, past which the
// writer checkpoints itself: 256 MiB, never reached while the
// checkpointer keeps up.
const writerCheckpointPages = 65536

// checkpointer checkpoints one SQLite database's log until closed.
type checkpointer struct {
	db *sql.DB // one connection, which never writes
	bg *background
}

func startCheckpointer(path string, every time.Duration, log *slog.Logger) (*checkpointer, error) {
	db, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db}
	c.bg = startBackground(cmp.Or(every, checkpointEvery), log, "sqlite checkpoint", c.checkpoint)
	return c, nil
}

// checkpoint copies what it can of the log into the database file.
func (c *checkpointer) checkpoint(ctx context.Context) error {
	var busy, logPages, copied int // what SQLite answers; the next round copies what is left
	return c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &copied)
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	c.bg.close()
	return c.db.Close()
}
