package store

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

// tenantWide matches a SQLite plan step that reads a table whole, or all
// of a tenant's rows (an index searched by tenant_id alone): with a
// million rows in a tenant such a query is slow however few it returns.
var tenantWide = regexp.MustCompile(`^SCAN \w+$|^SCAN \w+ USING (COVERING )?INDEX|USING (COVERING )?INDEX \w+ \(tenant_id=\?\)$|USING PRIMARY KEY \(tenant_id=\?\)$`)

var param = regexp.MustCompile(`\$(\d+)`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// WideReads explains every read query run so far (SQLite's cache of
// read statements) and returns those whose plan reads a table or a
// tenant whole, each with its plan, so a benchmark can say which query
// does not use an index. On PostgreSQL it returns nothing.
func (db *DB) WideReads(ctx context.Context) (map[string]string, error) {
	if db.rstmts == nil {
		return nil, nil
	}
	db.rstmts.mu.RLock()
	queries := make([]string, 0, len(db.rstmts.m))
	for q := range db.rstmts.m {
		queries = append(queries, q)
	}
	db.rstmts.mu.RUnlock()
	out := map[string]string{}
	for _, q := range queries {
		plan, err := db.explain(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, step := range plan {
			if tenantWide.MatchString(step) {
				out[q] = strings.Join(plan, "; ")
				break
			}
		}
	}
	return out, nil
}

// explain returns the steps of a query's plan (its parameters unbound).
func (db *DB) explain(ctx context.Context, q string) ([]string, error) {
	n := 0
	for _, m := range param.FindAllStringSubmatch(q, -1) {
		n = max(n, atoi(m[1]))
	}
	rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, make([]any, n)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
