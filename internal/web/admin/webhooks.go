package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var webhooksPage = web.PageOf(files, "webhooks.html", "hookparts.html")

// webhooks is the webhooks page: the subscriptions with their last
// delivery, the form of a new one, and a new one's secret (shown once).
type webhooks struct {
	Rows   []hookRow
	Form   *web.Form
	Types  []check
	Secret *hookSecret
}

// hookRow is a subscription and its newest delivery attempt (nil: none yet).
type hookRow struct {
	notify.Webhook
	Last *notify.Attempt
}

// hookSecret is a signing secret as shown once: after the webhook is
// created, or its secret rotated (then the previous one signs until Until).
type hookSecret struct {
	Value string
	Hook  notify.Webhook
	Until time.Time
}

// hookFields puts the service's errors next to their fields, the
// checkboxes too (an empty group is absent from the form's values).
var hookFields = map[string]string{"url": "url", "types": "types", "description": "description", "batch_size": "batch_size"}

func (c *Console) webhookRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/webhooks", c.webhooks)
	m.HandleFunc("POST "+Root+"/webhooks", c.createWebhook)
	c.webhookDetailRoutes(m)
}

func (c *Console) webhooks(w http.ResponseWriter, r *http.Request) {
	c.showWebhooks(w, r, newHookForm(), nil, http.StatusOK)
}

// newHookForm starts a subscription to every event type.
func newHookForm() *web.Form {
	f := web.NewForm()
	f.Set("types", notify.AllTypes)
	f.Set("batch_size", "1")
	return f
}

func (c *Console) showWebhooks(w http.ResponseWriter, r *http.Request, f *web.Form, secret *hookSecret, status int) {
	ctx, p := r.Context(), web.Principal(r)
	list, err := c.svc.Messages.Webhooks(ctx, p)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := webhooks{Form: f, Types: hookTypes(f, c.kit.Locale(r)), Secret: secret}
	// A tenant has at most 50 webhooks: one short read each for the last attempt.
	for _, h := range list {
		log, err := c.svc.Messages.Attempts(ctx, p, h.ID, page.Request{Limit: 1})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		row := hookRow{Webhook: h}
		if len(log.Items) > 0 {
			row.Last = &log.Items[0]
		}
		d.Rows = append(d.Rows, row)
	}
	c.kit.Render(w, r, status, webhooksPage, c.view(r, "webhooks", "webhooks.title", d))
}

// hookTypes are the event-type checkboxes, "all" first.
func hookTypes(f *web.Form, l *i18n.Locale) []check {
	types := append([]string{notify.AllTypes}, notify.EventTypes...)
	return checks(f, "types", types, func(t string) string {
		if t == notify.AllTypes {
			return l.T("webhooks.all_types")
		}
		return t
	})
}

// hookInput reads the form of a subscription.
func hookInput(f *web.Form) notify.WebhookInput {
	url, desc, types := f.Get("url"), f.Get("description"), f.Values["types"]
	in := notify.WebhookInput{URL: &url, Types: &types, Description: &desc}
	if s := f.Get("batch_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1 // not a number: the service's "between 1 and 100" says what to give
		}
		in.BatchSize = &n
	}
	return in
}

// createWebhook subscribes the URL and shows the secret once. A repeat
// of the same form (double click, reload) makes no second webhook.
func (c *Console) createWebhook(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p := web.Principal(r)
	var hook notify.Webhook
	var secret string
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "webhook", func() (string, error) {
		var err error
		hook, secret, err = c.svc.Messages.CreateWebhook(r.Context(), p, hookInput(f))
		return Root + "/webhooks/" + hook.ID + "?done=webhook_repeat", err
	})
	switch {
	case errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showWebhooks(w, r, f, nil, f.Fail(err, hookFields))
	case secret == "":
		http.Redirect(w, r, next, http.StatusSeeOther)
	default:
		c.showWebhooks(w, r, newHookForm(), &hookSecret{Value: secret, Hook: hook}, http.StatusCreated)
	}
}
