package store

import (
	"database/sql"

	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Together runs independent reads side by side where each can have a
// connection of its own: inside Read on SQLite, whose statements already
// each see what was committed when they started, they go to different
// connections of the read pool, and a report that makes several large
// reads uses more than one core. In a PostgreSQL read transaction (one
// connection, one snapshot) and inside a write they run one after the
// other, in order, and the first error stops them.
func (t *Tx) Together(reads ...func() error) error {
	if _, pooled := t.q.(*sql.DB); pooled {
		return txn.Together(reads...)
	}
	for _, r := range reads {
		if err := r(); err != nil {
			return err
		}
	}
	return nil
}
