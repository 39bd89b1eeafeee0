package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Helpers that convert between Go values and the portable column forms.

// nullable stores "" as NULL, for optional columns under a unique index
// (NULLs do not collide there).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ms(t time.Time) int64 { return clock.Millis(t) }

func optMs(t *time.Time) any {
	if t == nil {
		return nil
	}
	return clock.Millis(*t)
}

func fromOptMs(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := clock.FromMillis(v.Int64)
	return &t
}

// words stores a list of words as ",a,b," so that LIKE '%,a,%' finds rows
// containing a, on both engines. Words never contain commas (they are
// validated enum values or tags).
func words[T ~string](list []T) string {
	if len(list) == 0 {
		return ","
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, w := range list {
		b.WriteString(string(w))
		b.WriteByte(',')
	}
	return b.String()
}

func fromWords[T ~string](s string) []T {
	parts := strings.Split(strings.Trim(s, ","), ",")
	out := make([]T, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			out = append(out, T(p))
		}
	}
	return out
}

// notFound turns sql.ErrNoRows into a NotFound error naming the thing.
func notFound(err error, what, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.NotFoundf(what, id)
	}
	return err
}

// likeArg makes a case-insensitive substring pattern, escaping LIKE's
// wildcards so that user input matches literally (used with ESCAPE '\').
func likeArg(q string) string {
	return "%" + escapeLike(strings.ToLower(q)) + "%"
}

// escapeLike escapes LIKE's wildcards (with ESCAPE '\').
func escapeLike(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// eq adds "col = value" unless value is empty (an unset filter).
func (w *where) eq(col, value string) {
	if value != "" {
		w.add(col+" = ?", value)
	}
}

func (w *where) sql() string { return " WHERE " + strings.Join(w.conds, " AND ") }

// next returns the placeholder for one more argument.
func (w *where) next(arg any) string {
	w.args = append(w.args, arg)
	return "$" + strconv.Itoa(len(w.args))
}

// flag stores a yes/no as BIGINT 1/0, which both engines compare alike.
func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
