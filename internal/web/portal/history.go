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
	err := c.eachLine(ctx, p, accountID, func(l ledger.StatementLine) {
		keep = append(keep, l)
		if len(keep) > 2*historyLen {
			keep = append(keep[:0], keep[len(keep)-historyLen:]...)
		}
	})
	return keep[max(0, len(keep)-historyLen):], err
}

// maxPages bounds a walk through a statement (500 lines a page).
const maxPages = 200

// eachLine calls fn with every line of a statement, oldest first.
func (c *Portal) eachLine(ctx context.Context, p access.Principal, accountID string, fn func(ledger.StatementLine)) error {
	req := page.Request{Limit: page.MaxLimit}
	for range maxPages {
		res, err := c.svc.Ledger.Statement(ctx, p, accountID, req)
		if err != nil {
			return err
		}
		for _, l := range res.Items {
			fn(l)
		}
		if res.Next == "" {
			return nil
		}
		if req, err = page.Parse(res.Next, page.MaxLimit); err != nil {
			return err
		}
	}
	return nil
}

// After is the wallet's available balance after the line (0 when unknown).
func (e entry) After() int64 {
	if e.AvailableAfter == nil {
		return 0
	}
	return *e.AvailableAfter
}
