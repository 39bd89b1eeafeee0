package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/web"
)

// The actions of a webhook's page besides its settings form.

// testWebhook sends a test event now. The attempt is in the delivery log;
// the page it returns to names it so it is shown on its own, and a
// reload does not send another.
func (c *Console) testWebhook(w http.ResponseWriter, r *http.Request) {
	a, err := c.svc.Messages.TestWebhook(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, hookPath(r, "test="+a.ID), http.StatusSeeOther)
}

// rotateWebhook replaces the secret and shows the new one once; the old
// one signs too for the chosen overlap. A repeat of the same form rotates
// once: a second rotation would end the first new secret's life unseen.
func (c *Console) rotateWebhook(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p := web.Principal(r)
	secs, _ := strconv.Atoi(f.Get("overlap")) // not a number: 0, the default day
	var s hookSecret
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "webhook-rotate", func() (string, error) {
		var err error
		s.Hook, s.Value, err = c.svc.Messages.RotateSecret(r.Context(), p, r.PathValue("id"), time.Duration(secs)*time.Second)
		s.Until = s.Hook.PrevUntil
		return hookPath(r, "done=webhook_repeat"), err
	})
	switch {
	case err != nil:
		c.fail(w, r, err) // an overlap out of range only comes from a forged form
	case s.Value == "":
		http.Redirect(w, r, next, http.StatusSeeOther)
	default:
		c.showWebhook(w, r, hookDetail{Secret: &s}, http.StatusOK)
	}
}

// deleteWebhook removes the webhook the page confirmed.
func (c *Console) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	if err := c.svc.Messages.DeleteWebhook(r.Context(), web.Principal(r), r.PathValue("id")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/webhooks?done=webhook_deleted", http.StatusSeeOther)
}
