package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/defform"
)

// saveEditor answers every button of the editor: add or remove an item
// (the form comes back changed, nothing stored), check, try, simulate,
// and save as the program's next version.
func (c *Console) saveEditor(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), web.Principal(r)
	pr, err := c.svc.Programs.Get(ctx, p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.ReadForm(r)
	e := &editing{w: w, r: r, v: editorView{P: pr, Form: f, Tab: tab(f.Get("_tab"))}}
	if rm := f.Get("_remove"); rm != "" {
		f.Values.Set(rm+defform.RemoveMark, "on")
	}
	if err := c.readDefinition(e); err != nil {
		c.showEditor(e, showErrors(e, err))
		return
	}
	switch f.Get("_action") {
	case "check":
		c.check(e)
	case "try":
		c.try(e)
	case "simulate":
		c.simulate(e)
	case "save":
		c.saveVersion(e)
	default: // an item added or removed: the form as it is now
		if add := f.Get("_add"); add != "" {
			e.v.Def = defform.Encode(e.def)
			e.v.Def.NewItem(add)
		}
		c.showEditor(e, http.StatusOK)
	}
}

// readDefinition reads the definition from the form or the raw JSON.
func (c *Console) readDefinition(e *editing) error {
	f := e.v.Form
	if e.v.Tab == "raw" {
		e.v.Raw = f.Values.Get("definition")
		def, err := program.DecodeDefinition([]byte(e.v.Raw))
		e.def = def
		return err
	}
	def, err := defform.Decode(f.Values)
	e.def = def
	if err != nil {
		e.v.Def = defform.Encode(def) // shown as read, with what was typed where it was wrong
	}
	return err
}

// check compiles the definition as saving would, storing nothing.
func (c *Console) check(e *editing) {
	_, err := c.svc.Programs.AddVersion(e.r.Context(), web.Principal(e.r), e.v.P.ID, c.versionInput(e, true))
	if err != nil {
		c.showEditor(e, showErrors(e, err))
		return
	}
	e.v.Checked = true
	c.showEditor(e, http.StatusOK)
}

func (c *Console) versionInput(e *editing, dry bool) program.VersionInput {
	raw, _ := encodeJSON(e.def)
	in := program.VersionInput{Definition: raw, DryRun: dry}
	if n, err := strconv.Atoi(e.v.Form.Get("based_on")); err == nil {
		in.BasedOn = &n
	}
	return in
}

// saveVersion stores the definition as the next version; the same form
// sent twice stores one. A version added by someone else since the editor
// was opened refuses this one.
func (c *Console) saveVersion(e *editing) {
	p, f := web.Principal(e.r), e.v.Form
	var v program.Version
	next, err := c.kit.Once(e.r.Context(), p.TenantID, f, "program-version", func() (string, error) {
		var err error
		v, err = c.svc.Programs.AddVersion(e.r.Context(), p, e.v.P.ID, c.versionInput(e, false))
		done := "version_saved"
		if v.Approval == program.VersionPending {
			done = "version_submitted"
		}
		return Root + "/programs/" + e.v.P.ID + "?done=" + done, err
	})
	switch {
	case err != nil && errs.Is(err, errs.Forbidden):
		c.fail(e.w, e.r, err)
	case err != nil && errs.Is(err, errs.Conflict):
		f.Error = c.kit.Locale(e.r).T("form.changed_meanwhile") + " " + errs.As(err).Message
		c.showEditor(e, http.StatusConflict)
	case err != nil:
		c.showEditor(e, showErrors(e, err))
	default:
		http.Redirect(e.w, e.r, next, http.StatusSeeOther)
	}
}

// clockDay is today, for the sample invoice's default date.
func (c *Console) clockDay() time.Time { return c.kit.Clock.Now().UTC() }
