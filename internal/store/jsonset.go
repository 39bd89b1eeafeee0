package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
)

// JSON sets: a whole set of ids or rows as one JSON parameter, expanded by
// the engine (json_each on SQLite, jsonb_array_elements on PostgreSQL), so
// that a statement's cost does not grow with parameters and PostgreSQL
// needs one round trip per set. On PostgreSQL the parameter is jsonb, not
// json: every ->> of a json value parses it again, which made a 17-column
// insert of 2,000 rows take 250–470 ms instead of 40–110 ms. On SQLite,
// which has no round trips to save, rows of several columns are better
// not sent as JSON: each ->> of a json_each row parses the row's text
// again, and the expiry job ran 14,400 lots/s that way against 19,800 with
// statements of rows.

// jsonSet is the subquery of the ids in the JSON array parameter $n, as
// its column value.
func (t *Tx) jsonSet(n int) string {
	p := "$" + strconv.Itoa(n)
	if t.d.engine() == Postgres {
		return "SELECT jsonb_array_elements_text(" + p + "::jsonb) AS value"
	}
	return "SELECT value FROM json_each(" + p + ")"
}

// jsonRows is the FROM item of the rows (JSON arrays) in parameter $n,
// and the expression of field i of a row with its column's type.
func (t *Tx) jsonRows(n int) (from string, field func(i int, integer bool) string) {
	p := "$" + strconv.Itoa(n)
	if t.d.engine() == Postgres {
		return "jsonb_array_elements(" + p + "::jsonb) AS r(value)", func(i int, integer bool) string {
			if integer {
				return "(r.value->>" + strconv.Itoa(i) + ")::bigint"
			}
			return "r.value->>" + strconv.Itoa(i)
		}
	}
	return "json_each(" + p + ") AS r", func(i int, _ bool) string { return "r.value->>" + strconv.Itoa(i) }
}

func jsonSetText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// insertSet inserts rows (values in cols order; ints names the integer
// columns): on PostgreSQL with one statement of a JSON set, on SQLite with
// multi-row statements.
func (t *Tx) insertSet(ctx context.Context, table string, cols []string, ints map[string]bool, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if t.d.engine() != Postgres {
		return t.insertRows(ctx, table, cols, len(rows), func(i int) []any { return rows[i] })
	}
	data, err := jsonSetText(rows)
	if err != nil {
		return err
	}
	from, field := t.jsonRows(1)
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = field(i, ints[c])
	}
	_, err = t.q.ExecContext(t.ctx(ctx), "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") SELECT "+strings.Join(exprs, ", ")+" FROM "+from, data)
	return err
}
