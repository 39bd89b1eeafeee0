package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var templatesPage = web.Page(files, "templates.html")

// templateList is the message templates, each code's versions together
// by channel × role × language.
type templateList struct {
	Rows []notify.Template
	Next string
}

func (c *Console) templateRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/templates", c.templates)
	m.HandleFunc("GET "+Root+"/templates/new", c.newTemplate)
	m.HandleFunc("POST "+Root+"/templates", c.createTemplate)
	m.HandleFunc("GET "+Root+"/templates/{id}", c.template)
	m.HandleFunc("POST "+Root+"/templates/{id}", c.updateTemplate)
	m.HandleFunc("POST "+Root+"/templates/{id}/test", c.testTemplate)
	m.HandleFunc("POST "+Root+"/templates/{id}/delete", c.deleteTemplate)
}

func (c *Console) templates(w http.ResponseWriter, r *http.Request) {
	req, err := page.Parse(r.URL.Query().Get("cursor"), listedTemplates)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	res, err := c.svc.Messages.Templates(r.Context(), web.Principal(r), req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	sortTemplates(res.Items)
	d := templateList{Rows: res.Items}
	if res.Next != "" {
		d.Next = Root + "/templates?cursor=" + res.Next
	}
	c.kit.Render(w, r, http.StatusOK, templatesPage, c.view(r, "templates", "tpl.title", d))
}
