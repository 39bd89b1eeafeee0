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

// inSet is the condition that a column is one of the ids of the JSON
// array parameter $n, for a statement that changes rows (a look-up reads
// them with keyed). On PostgreSQL it is = ANY of the ids as an array,
// which an index that leads with tenant_id and the column serves; as IN
// (the set), PostgreSQL hashed every row of the tenant to update a few
// (0.40 ms against 0.07 for 3 rows of 3,000).
func (t *Tx) inSet(n int) string {
	p := "$" + strconv.Itoa(n)
	if t.d.engine() == Postgres {
		return "= ANY(ARRAY(SELECT jsonb_array_elements_text(" + p + "::jsonb)))"
	}
	return "IN (SELECT value FROM json_each(" + p + "))"
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

// keyed is a statement reading the columns cols of the rows of table
// whose column key is one of the ids of the JSON array $n (a unique key
// of the tenant $1's rows), in the array's order on PostgreSQL, in key
// order on SQLite; lock locks them. On PostgreSQL each id is a subquery
// of its own (LATERAL … LIMIT 1), so that the plan is an index probe per
// id whatever the table's statistics say. Joined as a set (IN, JOIN),
// PostgreSQL hashed every row of the tenant to find a few: with the
// statistics of a young table, which say it is small (on 2026-12-07 the
// duplicate check of single events took up to 14 ms in the first seconds
// of a run instead of 0.05), and with true ones too (3 accounts of 3,000
// read in 0.35 ms, against 0.04 probed). A caller that locks passes its
// ids sorted: rows are locked in the order they are found. An id given
// twice is read twice on PostgreSQL.
func (t *Tx) keyed(table, cols, key string, n int, lock bool) string {
	if t.d.engine() != Postgres {
		return "SELECT " + cols + " FROM " + table + " WHERE tenant_id = $1 AND " + key + " " + t.inSet(n) + " ORDER BY " + key
	}
	locking := ""
	if lock {
		locking = " FOR UPDATE"
	}
	return "SELECT x.* FROM jsonb_array_elements_text($" + strconv.Itoa(n) + "::jsonb) WITH ORDINALITY AS k(value, n) CROSS JOIN LATERAL (" +
		"SELECT " + cols + " FROM " + table + " WHERE tenant_id = $1 AND " + key + " = k.value LIMIT 1" + locking + ") AS x ORDER BY k.n"
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
