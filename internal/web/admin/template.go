package admin

import (
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/web"
)

var templatePage = web.Page(files, "template.html")

// templateEditor is one template's form (a new one without T), and for a
// saved one the preview with a real member and the test send.
type templateEditor struct {
	T         *notify.Template
	Form      *web.Form
	Channels  []web.Option
	Roles     []web.Option
	Variables string
	Warnings  []string
	// The member search of the preview, its matches and the one shown.
	Query   string
	People  []previewPerson
	Person  string
	Preview *notify.Preview
	// PreviewError is why the chosen person's preview failed.
	PreviewError string
}

func (c *Console) newTemplate(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	st, err := c.svc.Messages.GetSettings(r.Context(), p)
	if err == nil {
		err = p.Can(access.ManageMessages)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.NewForm()
	f.Set("channel", notify.ChannelEmail)
	f.Set("lang", st.DefaultLang)
	c.showTemplate(w, r, nil, f, http.StatusOK)
}

func (c *Console) template(w http.ResponseWriter, r *http.Request) {
	t, err := c.svc.Messages.GetTemplate(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.NewForm()
	for k, v := range map[string]string{"code": t.Code, "channel": t.Channel, "role": t.Role, "lang": t.Lang, "subject": t.Subject, "body": t.Body, "html": t.HTML} {
		f.Set(k, v)
	}
	c.showTemplate(w, r, &t, f, http.StatusOK)
}

// showTemplate renders the editor; for a saved template it also runs the
// member search and the preview the query asks for.
func (c *Console) showTemplate(w http.ResponseWriter, r *http.Request, t *notify.Template, f *web.Form, status int) {
	l := c.kit.Locale(r)
	d := templateEditor{T: t, Form: f, Roles: append([]web.Option{{Value: "", Label: l.T("tpl.any_role")}}, memberRoles(l)...),
		Variables: "{{" + strings.Join(notify.Variables, "}}, {{") + "}}"}
	for _, ch := range notify.Channels {
		d.Channels = append(d.Channels, web.Option{Value: ch, Label: l.T("tpl.channel." + ch)})
	}
	if t != nil {
		d.Warnings = t.Warnings
		if err := c.previewFor(r, *t, &d); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	title := "tpl.new"
	if t != nil {
		title = "tpl.edit"
	}
	c.kit.Render(w, r, status, templatePage, c.view(r, "templates", title, d))
}

// templateInput is the template the form describes.
func templateInput(f *web.Form) notify.Template {
	return notify.Template{Code: f.Get("code"), Channel: f.Get("channel"), Role: f.Get("role"), Lang: f.Get("lang"),
		Subject: f.Get("subject"), Body: f.Values.Get("body"), HTML: f.Values.Get("html")}
}

// createTemplate saves a new template; a repeat of the form saves none.
func (c *Console) createTemplate(w http.ResponseWriter, r *http.Request) {
	f, p := web.ReadForm(r), web.Principal(r)
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "message-template", func() (string, error) {
		t, err := c.svc.Messages.CreateTemplate(r.Context(), p, templateInput(f))
		return Root + "/templates/" + t.ID + "?done=saved", err
	})
	c.saved(w, r, f, nil, next, err, c.editorAgain(nil))
}

func (c *Console) updateTemplate(w http.ResponseWriter, r *http.Request) {
	f, p := web.ReadForm(r), web.Principal(r)
	t, err := c.svc.Messages.UpdateTemplate(r.Context(), p, r.PathValue("id"), templateInput(f))
	if err != nil {
		t, _ = c.svc.Messages.GetTemplate(r.Context(), p, r.PathValue("id"))
	}
	c.saved(w, r, f, nil, Root+"/templates/"+t.ID+"?done=saved", err, c.editorAgain(&t))
}

// editorAgain shows the editor of t (nil: a new one) again.
func (c *Console) editorAgain(t *notify.Template) func(http.ResponseWriter, *http.Request, *web.Form, int) {
	return func(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
		c.showTemplate(w, r, t, f, status)
	}
}

// deleteTemplate removes the template the page confirmed. Its code stays
// valid in triggers and campaigns: their messages take the closest other
// template of the code, or the generic text.
func (c *Console) deleteTemplate(w http.ResponseWriter, r *http.Request) {
	if err := c.svc.Messages.DeleteTemplate(r.Context(), web.Principal(r), r.PathValue("id")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/templates?done=template_deleted", http.StatusSeeOther)
}
