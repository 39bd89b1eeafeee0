package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var deadPage = web.Page(files, "deadletters.html")

// deadLetters is the failed messages page: outbox messages that ran out
// of attempts, each with a replay button, a page at a time.
type deadLetters struct {
	Rows []deadRow
	Next string
}

// deadRow is a dead message and whom it was for, in words.
type deadRow struct {
	notify.Item
	KindLabel, Target, Href string
}

// maxReplay bounds "replay all shown": one page of the list.
const maxReplay = 50

func (c *Console) deadLetterRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/messages/dead", c.deadLetters)
	m.HandleFunc("POST "+Root+"/messages/dead/replay", c.replayMessages)
}

func (c *Console) deadLetters(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), web.Principal(r)
	req, err := page.Parse(r.URL.Query().Get("cursor"), maxReplay)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	res, err := c.svc.Messages.DeadLetters(ctx, p, req)
	var hooks []notify.Webhook
	if err == nil {
		hooks, err = c.svc.Messages.Webhooks(ctx, p)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := deadLetters{}
	if res.Next != "" {
		d.Next = Root + "/messages/dead?cursor=" + res.Next
	}
	urls := map[string]string{}
	for _, h := range hooks {
		urls[h.ID] = h.URL
	}
	l := c.kit.Locale(r)
	for _, it := range res.Items {
		d.Rows = append(d.Rows, deadRow{Item: it, KindLabel: known(l, "dead.kind."+it.Kind, it.Kind)})
		describeTarget(&d.Rows[len(d.Rows)-1], l, urls)
	}
	c.kit.Render(w, r, http.StatusOK, deadPage, c.view(r, "dead", "dead.title", d))
}

// describeTarget says whom the message was for, linking what has a page.
func describeTarget(row *deadRow, l *i18n.Locale, urls map[string]string) {
	t := row.Item.Target()
	switch t.Type {
	case "webhook":
		row.Target = l.T("dead.target.webhook_gone")
		if u := urls[t.ID]; u != "" {
			row.Target, row.Href = u, Root+"/webhooks/"+t.ID
		}
	case "organization":
		row.Target, row.Href = l.T("dead.target.organization", t.ID), Root+"/organizations/"+t.ID
	case "":
		row.Target = "—"
	default:
		row.Target = l.T("dead.target."+t.Type, t.ID)
	}
}

// known is a key's text, or fallback when the catalog has no such key.
func known(l *i18n.Locale, key, fallback string) string {
	if l.Has(key) {
		return l.T(key)
	}
	return fallback
}

// replayMessages makes the messages the form names (one, or all shown)
// due again. One that is no longer dead — replayed meanwhile by someone
// else, or a repeat of this form — is skipped, not an error.
func (c *Console) replayMessages(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	ids := f.Values["id"]
	if len(ids) == 0 || len(ids) > maxReplay {
		c.fail(w, r, errs.InvalidField("id", "count", "name between 1 and %d messages to replay", maxReplay))
		return
	}
	for _, id := range ids {
		if _, err := c.svc.Messages.Replay(r.Context(), web.Principal(r), id); err != nil && !errs.Is(err, errs.Conflict) {
			c.fail(w, r, err)
			return
		}
	}
	done := "replayed"
	if len(ids) > 1 {
		done = "replayed_all"
	}
	http.Redirect(w, r, Root+"/messages/dead?done="+done, http.StatusSeeOther)
}
