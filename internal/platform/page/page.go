// Package page is cursor pagination: a request names where to continue and
// how many to return, a page says where the next one starts. Cursors are
// opaque to clients (base64 of the last row's sort key), so the ordering can
// change without breaking them.
package page

import (
	"encoding/base64"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Default and maximum page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Request asks for one page.
type Request struct {
	After string // the decoded cursor: the sort key to continue after ("" for the first page)
	Limit int
}

// Page is one page of items.
type Page[T any] struct {
	Items []T
	Next  string // the cursor of the next page; "" when this is the last
}

// Parse validates a client's cursor and limit.
func Parse(cursor string, limit int) (Request, error) {
	var f errs.Fields
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		f.Add("limit", "out_of_range", "limit must be between 1 and %d", MaxLimit)
	}
	var after []byte
	if cursor != "" {
		var err error
		after, err = base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || len(after) == 0 {
			f.Add("cursor", "invalid_cursor", "cursor is not one this API returned; pass the next_cursor of the previous page, or omit it to start over")
		}
	}
	return Request{After: string(after), Limit: limit}, f.Err()
}

// Build turns rows fetched with LIMIT r.Limit+1 into a page: the extra row,
// if present, only says there is more.
func Build[T any](r Request, rows []T, key func(T) string) Page[T] {
	if len(rows) <= r.Limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:r.Limit]
	return Page[T]{Items: rows, Next: base64.RawURLEncoding.EncodeToString([]byte(key(rows[len(rows)-1])))}
}
