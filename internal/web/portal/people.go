package portal

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

var peoplePage = parse("people.html")

// people is transparency for management: what each employee earned and
// redeemed in a month, and holds now.
type people struct {
	Month, Prev, Next string
	Rows              []personRow
}

type personRow struct {
	Member   party.Member
	Earned   int64
	Redeemed int64
	Balance  int64
}

func (c *Portal) peopleRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/manage/people", c.peoplePage)
}

func (c *Portal) peoplePage(w http.ResponseWriter, r *http.Request) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	from, err := time.Parse("2006-01", r.URL.Query().Get("month"))
	if err != nil {
		now := c.kit.Clock.Now().UTC()
		from = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	to := from.AddDate(0, 1, 0)
	rows, err := c.transparency(r, me, from, to)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "csv" {
		writeCSV(w, from, rows)
		return
	}
	d := people{Month: from.Format("2006-01"), Prev: from.AddDate(0, -1, 0).Format("2006-01"), Next: to.Format("2006-01"), Rows: rows}
	c.kit.Render(w, r, http.StatusOK, peoplePage, c.view(r, me, "people", "portal.people.title", d))
}

// transparency sums each member's wallet lines in [from, to): earned is
// what rules, goals and adjustments added; redeemed is what was spent.
func (c *Portal) transparency(r *http.Request, me *self, from, to time.Time) ([]personRow, error) {
	ms, err := c.people(r, me)
	if err != nil {
		return nil, err
	}
	out := make([]personRow, 0, len(ms))
	for _, m := range ms {
		row := personRow{Member: m}
		ws, err := c.wallets(r.Context(), me.P, ledger.OwnerMember, m.ID)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			row.Balance = money.AddSat(row.Balance, w.Account.Available)
			if err := c.sumLines(r, me, w.Account.ID, from, to, &row); err != nil {
				return nil, err
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// sumLines adds one wallet's lines in the period to a row.
func (c *Portal) sumLines(r *http.Request, me *self, accountID string, from, to time.Time, row *personRow) error {
	return c.eachLine(r.Context(), me.P, accountID, func(l ledger.StatementLine) {
		if l.Effective.Before(from) || !l.Effective.Before(to) || l.Kind == ledger.KindActivate {
			return
		}
		switch {
		case l.Kind == ledger.KindSpend:
			row.Redeemed = money.AddSat(row.Redeemed, -l.Amount)
		case l.Amount > 0:
			row.Earned = money.AddSat(row.Earned, l.Amount)
		}
	})
}

func writeCSV(w http.ResponseWriter, from time.Time, rows []personRow) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="employees-`+from.Format("2006-01")+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"member_id", "name", "roles", "earned", "redeemed", "balance"})
	for _, p := range rows {
		roles := ""
		for i, r := range p.Member.Roles {
			if i > 0 {
				roles += " "
			}
			roles += string(r)
		}
		_ = cw.Write([]string{p.Member.ID, csvSafe(p.Member.Name), roles,
			strconv.FormatInt(p.Earned, 10), strconv.FormatInt(p.Redeemed, 10), strconv.FormatInt(p.Balance, 10)})
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
