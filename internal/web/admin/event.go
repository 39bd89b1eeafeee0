package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var eventPage = web.Page(files, "event.html")

// event explains one event: its lines, and per program the version that
// judged it, every rule with whether it fired and why, the points and the
// ledger postings they became.
type event struct {
	Rec      events.Record
	Org      party.Organization
	Amount   int64
	Programs []explained
}

type explained struct {
	events.ProgramResult
	Name string
	Tx   *ledger.Transaction
}

func (c *Console) eventRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/events/{id}", c.event)
}

func (c *Console) event(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), web.Principal(r)
	rec, err := c.svc.Events.Get(ctx, p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := event{Rec: rec}
	d.Amount, _ = rec.Event.Totals()
	d.Org, _ = c.svc.Party.GetOrganization(ctx, p, rec.OrganizationID)
	names := map[string]string{}
	for _, res := range rec.Results {
		if _, ok := names[res.ProgramID]; !ok {
			var pr program.Program
			if pr, err = c.svc.Programs.Get(ctx, p, res.ProgramID); err == nil {
				names[res.ProgramID] = pr.Name
			}
		}
		x := explained{ProgramResult: res, Name: names[res.ProgramID]}
		if res.LedgerTx != "" {
			if tx, err := c.svc.Ledger.GetTransaction(ctx, p, res.LedgerTx); err == nil {
				x.Tx = &tx
			}
		}
		d.Programs = append(d.Programs, x)
	}
	c.kit.Render(w, r, http.StatusOK, eventPage, c.view(r, "organizations", "event.title", d))
}
