package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Rows held for COPY. A batch of a thousand events writes thousands of
// rows to a few append-only tables (the events themselves, the ledger's
// transactions, postings, lots and lot uses). As INSERT statements —
// one per event, a few rows each for the ledger — each is a statement
// PostgreSQL binds and executes, and each row's values are copied by
// pgx into a send buffer that grows from a kilobyte for every batch of
// statements. On PostgreSQL the rows of these tables are instead held
// like statements (pipeline.go) and sent as one COPY per table, whose
// rows pgx encodes into one reused buffer and PostgreSQL inserts without
// a statement per row.
//
// A table belongs here only if nothing held later in a transaction
// depends on its rows being written first (no foreign key points at it,
// no held statement reads it): held rows are sent before the held
// statements, not in the order they were held. What the transaction
// reads or writes at once still comes after both.

// copyTables are the tables whose rows are held for COPY.
var copyTables = map[string]bool{
	"events": true, "ledger_txs": true, "ledger_postings": true, "ledger_lots": true, "ledger_lot_uses": true,
}

// copyMin is the fewest rows of a table sent as a COPY; fewer go as
// multi-row INSERTs with the held statements (a COPY is a round trip and
// two goroutines of its own: not worth it for a single earn's rows).
const copyMin = 32

// heldTable are rows held for one table.
type heldTable struct {
	table string
	cols  []string
	rows  [][]any
	// explain turns a failure of row i into what the caller is to be
	// told (nil: keep it), as for a held statement.
	explain []func(error) error
}

// holdRows holds n rows of table, row(i) giving row i's values.
func (p *pipeTx) holdRows(ctx context.Context, explain func(error) error, table string, cols []string, n int, row func(i int) []any) {
	h := p.heldTable(table, cols)
	for i := range n {
		h.rows = append(h.rows, row(i))
		h.explain = append(h.explain, explain)
	}
	p.sendAhead(ctx)
}

// heldTable is where rows of table are held (in order of first use).
func (p *pipeTx) heldTable(table string, cols []string) *heldTable {
	for _, h := range p.tables {
		if h.table == table {
			return h
		}
	}
	h := &heldTable{table: table, cols: cols}
	p.tables = append(p.tables, h)
	return h
}

// statements are the rows as multi-row INSERTs, for tables with fewer
// than copyMin rows; a failure is explained as the COPY's would be.
func (h *heldTable) statements() []heldStmt {
	var out []heldStmt
	_ = rowStatements(h.table, h.cols, "", len(h.rows), func(i int) []any { return h.rows[i] }, func(_ int, q string, args []any) error {
		out = append(out, heldStmt{q, args, h.failed})
		return nil
	})
	return out
}

// copyIn sends the rows as one COPY.
func (h *heldTable) copyIn(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{h.table}, h.cols, pgx.CopyFromRows(h.rows)); err != nil {
		return h.failed(err)
	}
	return nil
}

// keyDetail is how PostgreSQL names the key of a unique violation.
var keyDetail = regexp.MustCompile(`^Key \((.*)\)=\((.*)\) already exists\.$`)

// failed is what a failure to insert the rows is reported as: explained
// as its row's, when the database names the row's key (a unique
// violation), or as the first row's.
func (h *heldTable) failed(err error) error {
	explain := h.explain[0]
	if i := h.rowOfKey(pgDetail(err)); i >= 0 {
		explain = h.explain[i]
	}
	if explain != nil {
		return explain(err)
	}
	return fmt.Errorf("writing the rows of %s: %w", h.table, err)
}

// rowOfKey is the index of the row whose key detail names, or -1.
func (h *heldTable) rowOfKey(detail string) int {
	m := keyDetail.FindStringSubmatch(detail)
	if m == nil {
		return -1
	}
	var at []int
	for _, c := range strings.Split(m[1], ", ") {
		i := slices.Index(h.cols, c)
		if i < 0 {
			return -1
		}
		at = append(at, i)
	}
	for r, row := range h.rows {
		vals := make([]string, len(at))
		for k, i := range at {
			vals[k] = fmt.Sprint(row[i])
		}
		if strings.Join(vals, ", ") == m[2] {
			return r
		}
	}
	return -1
}
