package portal

import (
	"context"
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

var historyPage = parse("history.html")

// historyLen is how many of the latest lines the history shows.
const historyLen = 100

// entry is one line of a history: when, how much, why, the balance after.
type entry struct {
	ledger.StatementLine
	Wallet string
}

// history is the statement of one's wallets, newest first.
type history struct {
	Title   string
	Entries []entry
}

func (c *Portal) historyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/history", c.history)
}

func (c *Portal) history(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	ws, err := c.wallets(r.Context(), me.P, ledger.OwnerMember, me.Member.ID)
	var es []entry
	if err == nil {
		es, err = c.statement(r.Context(), me.P, ws)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, http.StatusOK, historyPage, c.view(r, me, "history", "portal.history.title", history{Entries: es}))
}

// statement reads the latest lines of the wallets, newest first. The
// wallets are the caller's own (read by owner), never ids from a request.
func (c *Portal) statement(ctx context.Context, p access.Principal, ws []ledger.Balance) ([]entry, error) {
	var out []entry
	for _, w := range ws {
		lines, err := c.latest(ctx, p, w.Account.ID)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			out = append(out, entry{StatementLine: l, Wallet: w.PointType.Name})
		}
	}
	slices.SortStableFunc(out, func(a, b entry) int { return b.Created.Compare(a.Created) })
	return out[:min(len(out), historyLen)], nil
}

// latest pages through a statement (oldest first) keeping the last lines.
func (c *Portal) latest(ctx context.Context, p access.Principal, accountID string) ([]ledger.StatementLine, error) {
	var keep []ledger.StatementLine
	req := page.Request{Limit: page.MaxLimit}
	for range 50 {
		res, err := c.svc.Ledger.Statement(ctx, p, accountID, req)
		if err != nil {
			return nil, err
		}
		keep = append(keep, res.Items...)
		keep = keep[max(0, len(keep)-historyLen):]
		if res.Next == "" {
			break
		}
		if req, err = page.Parse(res.Next, page.MaxLimit); err != nil {
			return nil, err
		}
	}
	return keep, nil
}

// After is the wallet's available balance after the line (0 when unknown).
func (e entry) After() int64 {
	if e.AvailableAfter == nil {
		return 0
	}
	return *e.AvailableAfter
}
