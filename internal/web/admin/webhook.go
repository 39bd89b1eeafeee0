package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var webhookPage = web.PageOf(files, "webhook.html", "hookparts.html")

// hookDetail is a webhook's page: its settings form, its actions (test,
// rotate the secret, delete) and its delivery log, a page at a time.
type hookDetail struct {
	Hook     notify.Webhook
	Form     *web.Form
	Types    []check
	Log      []notify.Attempt
	Next     string
	Test     *notify.Attempt // the test just sent, found in the log
	Secret   *hookSecret
	Rotate   *web.Form // only its submission token: a repeat rotates once
	Overlaps []web.Option
}

func (c *Console) webhookDetailRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/webhooks/{id}", c.webhook)
	m.HandleFunc("POST "+Root+"/webhooks/{id}", c.editWebhook)
	m.HandleFunc("POST "+Root+"/webhooks/{id}/test", c.testWebhook)
	m.HandleFunc("POST "+Root+"/webhooks/{id}/rotate", c.rotateWebhook)
	m.HandleFunc("POST "+Root+"/webhooks/{id}/delete", c.deleteWebhook)
}

func (c *Console) webhook(w http.ResponseWriter, r *http.Request) {
	c.showWebhook(w, r, hookDetail{}, http.StatusOK)
}

// showWebhook fills the page around what a handler already has (a
// failed form, a secret just made) and renders it.
func (c *Console) showWebhook(w http.ResponseWriter, r *http.Request, d hookDetail, status int) {
	ctx, p, id := r.Context(), web.Principal(r), r.PathValue("id")
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err == nil {
		d.Hook, err = c.svc.Messages.Webhook(ctx, p, id)
	}
	var log page.Page[notify.Attempt]
	if err == nil {
		log, err = c.svc.Messages.Attempts(ctx, p, id, req)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Log = log.Items
	if log.Next != "" {
		d.Next = Root + "/webhooks/" + id + "?cursor=" + log.Next
	}
	if i := slices.IndexFunc(d.Log, func(a notify.Attempt) bool { return a.ID == r.URL.Query().Get("test") }); i >= 0 {
		d.Test = &d.Log[i]
	}
	if d.Form == nil {
		d.Form = hookForm(d.Hook)
	}
	l := c.kit.Locale(r)
	d.Rotate = web.NewForm()
	d.Types = hookTypes(d.Form, l)
	for _, o := range []string{"3600", "86400", "604800"} {
		d.Overlaps = append(d.Overlaps, web.Option{Value: o, Label: l.T("webhooks.overlap." + o)})
	}
	c.kit.Render(w, r, status, webhookPage, c.view(r, "webhooks", "webhooks.detail_title", d))
}

// hookForm is the settings form filled from the webhook.
func hookForm(h notify.Webhook) *web.Form {
	f := web.NewForm()
	f.Set("url", h.URL)
	f.Set("description", h.Description)
	f.Set("batch_size", strconv.Itoa(max(h.BatchSize, 1)))
	f.Values["types"] = slices.Clone(h.Types)
	if h.DisabledAt == nil {
		f.Set("enabled", "on")
	}
	return f
}

// editWebhook saves the settings form; a disabled webhook gets nothing.
func (c *Console) editWebhook(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	in := hookInput(f)
	disabled := f.Get("enabled") == ""
	in.Disabled = &disabled
	_, err := c.svc.Messages.UpdateWebhook(r.Context(), web.Principal(r), r.PathValue("id"), in)
	switch {
	case errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound):
		c.fail(w, r, err)
	case err != nil:
		c.showWebhook(w, r, hookDetail{Form: f}, f.Fail(err, hookFields))
	default:
		http.Redirect(w, r, hookPath(r, "done=saved"), http.StatusSeeOther)
	}
}

// hookPath is the webhook's page, for the actions to return to.
func hookPath(r *http.Request, query ...string) string {
	return Root + "/webhooks/" + r.PathValue("id") + "?" + strings.Join(query, "&")
}
