package admin

import (
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var calendarPage = web.Page(files, "calendar.html")

// calendarView is the calendar: six months of programs, pilots,
// campaigns and promo codes, drawn and listed.
type calendarView struct {
	From, To   time.Time
	Prev, Next string
	Spans      []span
	Chart      template.HTML
}

// calendar shows six months from the month asked (?from=2026-11), by
// default from last month.
func (c *Console) calendar(w http.ResponseWriter, r *http.Request) {
	now := c.kit.Clock.Now().UTC()
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	if t, err := time.Parse("2006-01", r.URL.Query().Get("from")); err == nil {
		from = t
	}
	to := from.AddDate(0, 6, 0)
	spans, err := c.spans(r, now)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var shown []span
	for _, s := range spans {
		if s.From.Before(to) && (s.To.IsZero() || s.To.After(from)) {
			shown = append(shown, s)
		}
	}
	markOverlaps(shown, to)
	l := c.kit.Locale(r)
	d := calendarView{From: from, To: to, Spans: shown,
		Prev: from.AddDate(0, -3, 0).Format("2006-01"), Next: from.AddDate(0, 3, 0).Format("2006-01")}
	d.Chart = timeline(shown, from, to, l.T("calendar.title"))
	c.kit.Render(w, r, http.StatusOK, calendarPage, c.view(r, "calendar", "calendar.title", d))
}

// spans are the tenant's programs, pilots and campaigns, in start order.
func (c *Console) spans(r *http.Request, now time.Time) ([]span, error) {
	ctx, p := r.Context(), web.Principal(r)
	progs, err := c.svc.Programs.List(ctx, p, page.Request{Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []span
	for _, pr := range progs.Items {
		if pr.Status == program.Draft {
			continue // not on the calendar until it runs
		}
		s := span{Kind: "program", Name: pr.Name, Href: Root + "/programs/" + pr.ID, Status: pr.Status, From: pr.CreatedAt}
		if pr.Status == program.Pilot {
			s.Kind = "pilot"
		}
		if pr.StartsAt != nil {
			s.From = *pr.StartsAt
		}
		if pr.EndsAt != nil {
			s.To = *pr.EndsAt
		} else if pr.Status == program.Ended {
			s.To = pr.UpdatedAt
		}
		out = append(out, s)
	}
	if c.svc.Campaigns != nil {
		camps, err := c.svc.Campaigns.List(ctx, p, page.Request{Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, cp := range camps.Items {
			s := span{Kind: "campaign", Name: cp.Name, Status: cp.Status, From: cp.StartsAt}
			if cp.Code != "" || cp.Codes > 0 {
				s.Kind = "promo_code"
			}
			if cp.EndsAt != nil {
				s.To = *cp.EndsAt
			}
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From.Before(out[j].From) })
	return out, nil
}
