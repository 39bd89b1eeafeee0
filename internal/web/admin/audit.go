package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var auditPage = web.Page(files, "audit.html")

// auditLog is the audit log page: who changed what, newest first.
type auditLog struct {
	Entries    []audit.Entry
	Next       string
	EntityType string
}

func (c *Console) auditRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/audit", c.audit)
}

func (c *Console) audit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req, err := page.Parse(q.Get("cursor"), 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := audit.Filter{EntityType: q.Get("entity_type"), EntityID: q.Get("entity_id")}
	res, err := c.svc.Audit.List(r.Context(), web.Principal(r), f, req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := auditLog{Entries: res.Items, EntityType: f.EntityType}
	if res.Next != "" {
		d.Next = Root + "/audit?entity_type=" + f.EntityType + "&cursor=" + res.Next
	}
	c.kit.Render(w, r, http.StatusOK, auditPage, c.view(r, "audit", "audit.title", d))
}
