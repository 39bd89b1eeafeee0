package admin

import (
	"encoding/json"
	"github.com/loyal-b2b/loyal/internal/access"
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/defform"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var editorPage = web.Page(files, "editor.html")

// editorView is the program editor: the definition as a form (or as raw
// JSON), and the panels that try it on a sample invoice and simulate it
// on history.
type editorView struct {
	P       program.Program
	Form    *web.Form // token, based_on, the sample invoice, the period, the form's error
	Def     *defform.Node
	Tab     string // "form" or "raw"
	Raw     string
	RawErr  string
	Checked bool // the definition compiled (Check)
	Tried   *events.Result
	Sim     *simView
	Orgs    []web.Option // the sample's organizations
	Types   []web.Option // the sample's event types
	// Approval says a saved version waits for a second person (the
	// tenant requires it and the program is running).
	Approval bool
	L        *i18n.Locale
}

// editing is one request of the editor: the program and what was sent.
type editing struct {
	w   http.ResponseWriter
	r   *http.Request
	v   editorView
	def engine.Definition
}

func (c *Console) editor(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), web.Principal(r)
	if err := p.Can(access.ManagePrograms); err != nil {
		c.fail(w, r, err) // readers see the rules on the program's page; the editor is for those who save
		return
	}
	pr, err := c.svc.Programs.Get(ctx, p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	vs, err := c.svc.Programs.ListVersions(ctx, p, pr.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	def := starter()
	if n := len(vs); n > 0 {
		def = vs[n-1].Definition // edit the newest, pending or not: it is what was meant last
	}
	f := web.NewForm()
	f.Set("based_on", strconv.Itoa(len(vs)))
	defaultSample(f, c.clockDay())
	e := &editing{w: w, r: r, def: def, v: editorView{P: pr, Form: f, Tab: tab(r.URL.Query().Get("tab"))}}
	c.showEditor(e, http.StatusOK)
}

// starter is a new program's first definition: one rule that earns.
func starter() engine.Definition {
	return engine.Definition{Rules: []engine.Rule{{ID: "base", Name: "Base earn", Effects: []engine.Effect{{Type: engine.EffectEarn}}}}}
}

func tab(s string) string {
	if s == "raw" {
		return "raw"
	}
	return "form"
}

func (c *Console) showEditor(e *editing, status int) {
	if e.v.Def == nil {
		e.v.Def = defform.Encode(e.def)
	}
	if e.v.Raw == "" {
		raw, _ := json.MarshalIndent(e.def, "", "  ")
		e.v.Raw = string(raw)
	}
	e.v.L = c.kit.Locale(e.r)
	c.pointTypeChoice(e)
	c.sampleChoices(e)
	c.kit.Render(e.w, e.r, status, editorPage, c.view(e.r, "programs", "programs.editor", e.v))
}
